package io.kb.embedding;

import java.util.List;
import java.util.Map;

import io.kb.embedding.batch.BatchSettings;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.embedding.model.OnnxOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedding service's settings ({@code kb.embedding}); a wrong value stops the start with a message
 * that names the setting.
 *
 * @param models               the models to load, by name ({@code bge-small-en-v1.5}, {@code bge-small-zh-v1.5})
 * @param defaultModel         the model for requests that name neither a model nor a knowledge base; one of {@code models}
 * @param knowledgeBases       per knowledge base (tenant), the model its texts are embedded with; one of {@code models}.
 *                             Knowledge bases not listed use {@code defaultModel}
 * @param overflow             what happens to a text longer than the model's window: {@code split} it into windows
 *                             and average their vectors, or {@code reject} the request with 400
 * @param maxInputsPerRequest  the most texts in one request; at most {@code batch.queue-capacity}
 * @param batch                micro-batching
 * @param onnx                 in-process ONNX inference
 */
@Validated
@ConfigurationProperties("kb.embedding")
public record EmbeddingProperties(
        @DefaultValue({"bge-small-en-v1.5", "bge-small-zh-v1.5"}) List<String> models,
        @DefaultValue("bge-small-en-v1.5") String defaultModel,
        Map<String, String> knowledgeBases,
        @DefaultValue("split") Overflow overflow,
        @DefaultValue("256") @Min(1) int maxInputsPerRequest,
        @DefaultValue @Valid BatchSettings batch,
        @DefaultValue @Valid OnnxOptions onnx) {

    /** Checks that every model name is known and enabled, and that a full request fits in the queue. */
    public EmbeddingProperties {
        knowledgeBases = knowledgeBases == null ? Map.of() : Map.copyOf(knowledgeBases);
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("kb.embedding.models must list at least one of " + BundledOnnxModel.names());
        }
        models = List.copyOf(models);
        for (int i = 0; i < models.size(); i++) {
            if (BundledOnnxModel.byName(models.get(i)).isEmpty()) {
                throw new IllegalArgumentException("kb.embedding.models[" + i + "]: unknown model '" + models.get(i)
                        + "'; known models are " + BundledOnnxModel.names());
            }
        }
        requireEnabled("kb.embedding.default-model", defaultModel, models);
        for (Map.Entry<String, String> entry : knowledgeBases.entrySet()) {
            requireEnabled("kb.embedding.knowledge-bases." + entry.getKey(), entry.getValue(), models);
        }
        if (overflow == null) {
            throw new IllegalArgumentException("kb.embedding.overflow must be split or reject");
        }
        if (batch != null && maxInputsPerRequest > batch.queueCapacity()) {
            throw new IllegalArgumentException("kb.embedding.max-inputs-per-request (" + maxInputsPerRequest
                    + ") must not exceed kb.embedding.batch.queue-capacity (" + batch.queueCapacity() + ")");
        }
    }

    private static void requireEnabled(String setting, String model, List<String> enabled) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(setting + " must name a model");
        }
        if (!enabled.contains(model)) {
            String known = BundledOnnxModel.byName(model).isPresent() ? "it is not in kb.embedding.models " + enabled
                    : "unknown model; known models are " + BundledOnnxModel.names();
            throw new IllegalArgumentException(setting + ": '" + model + "': " + known);
        }
    }

    /** The model for a knowledge base: its own, or the default (also for {@code null}). */
    public String modelFor(String knowledgeBase) {
        return knowledgeBase == null ? defaultModel : knowledgeBases.getOrDefault(knowledgeBase, defaultModel);
    }

    /** What happens to a text longer than the model's window. */
    public enum Overflow {
        /** Embed it by windows and average their vectors, weighted by token count. */
        SPLIT,
        /** Refuse the request with a 400 naming the text. */
        REJECT
    }
}
