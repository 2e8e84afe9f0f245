package io.kb.embedding;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kb.embedding.batch.BatchSettings;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.embedding.model.OnnxOptions;
import io.kb.embedding.model.TritonOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedding service's settings ({@code kb.embedding}); a wrong value stops the start with a message
 * that names the setting.
 *
 * @param backend              where the models run: {@code onnx} in this process (default), or {@code triton}, the
 *                             models of {@code triton.models} on a Triton Inference Server
 * @param models               the models to serve, by name: for onnx, bundled models ({@code bge-small-en-v1.5},
 *                             {@code bge-small-zh-v1.5}), by default both; for triton, names from
 *                             {@code triton.models}, by default all of them
 * @param defaultModel         the model for requests that name neither a model nor a knowledge base; one of
 *                             {@code models}, by default the first
 * @param knowledgeBases       per knowledge base (tenant), the model its texts are embedded with; one of {@code models}.
 *                             Knowledge bases not listed use {@code defaultModel}
 * @param overflow             what happens to a text longer than the model's window: {@code split} it into windows
 *                             and average their vectors, or {@code reject} the request with 400. A model that
 *                             tokenizes server-side (Triton, input style text) cannot be checked here; it
 *                             treats long texts as it was built to, usually by truncating them
 * @param maxInputsPerRequest  the most texts in one request; at most {@code batch.queue-capacity}
 * @param batch                micro-batching
 * @param onnx                 in-process ONNX inference (backend onnx)
 * @param triton               the Triton server and its models; required with backend triton
 */
@Validated
@ConfigurationProperties("kb.embedding")
public record EmbeddingProperties(
        @DefaultValue("onnx") Backend backend,
        List<String> models,
        String defaultModel,
        Map<String, String> knowledgeBases,
        @DefaultValue("split") Overflow overflow,
        @DefaultValue("256") @Min(1) int maxInputsPerRequest,
        @DefaultValue @Valid BatchSettings batch,
        @DefaultValue @Valid OnnxOptions onnx,
        @Valid TritonOptions triton) {

    /**
     * Checks that the backend is configured, that every model name is one the backend has and is enabled, and
     * that a full request fits in the queue.
     */
    public EmbeddingProperties {
        knowledgeBases = knowledgeBases == null ? Map.of() : Map.copyOf(knowledgeBases);
        if (backend == null) {
            throw new IllegalArgumentException("kb.embedding.backend must be onnx or triton");
        }
        if (backend == Backend.TRITON && triton == null) {
            throw new IllegalArgumentException("kb.embedding.backend is triton but kb.embedding.triton is not set: "
                    + "it needs at least target and models");
        }
        List<String> known = backend == Backend.ONNX ? BundledOnnxModel.names() : triton.names();
        models = models == null ? known : List.copyOf(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("kb.embedding.models must list at least one of " + known);
        }
        for (int i = 0; i < models.size(); i++) {
            if (!known.contains(models.get(i))) {
                throw new IllegalArgumentException("kb.embedding.models[" + i + "]: unknown model '" + models.get(i)
                        + "'; the " + backend.name().toLowerCase(Locale.ROOT) + " backend has " + known);
            }
        }
        defaultModel = defaultModel == null ? models.getFirst() : defaultModel;
        requireEnabled("kb.embedding.default-model", defaultModel, models, known);
        for (Map.Entry<String, String> entry : knowledgeBases.entrySet()) {
            requireEnabled("kb.embedding.knowledge-bases." + entry.getKey(), entry.getValue(), models, known);
        }
        if (overflow == null) {
            throw new IllegalArgumentException("kb.embedding.overflow must be split or reject");
        }
        if (batch != null && maxInputsPerRequest > batch.queueCapacity()) {
            throw new IllegalArgumentException("kb.embedding.max-inputs-per-request (" + maxInputsPerRequest
                    + ") must not exceed kb.embedding.batch.queue-capacity (" + batch.queueCapacity() + ")");
        }
    }

    private static void requireEnabled(String setting, String model, List<String> enabled, List<String> known) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(setting + " must name a model");
        }
        if (!enabled.contains(model)) {
            String why = known.contains(model) ? "it is not in kb.embedding.models " + enabled
                    : "unknown model; known models are " + known;
            throw new IllegalArgumentException(setting + ": '" + model + "': " + why);
        }
    }

    /** The model for a knowledge base: its own, or the default (also for {@code null}). */
    public String modelFor(String knowledgeBase) {
        return knowledgeBase == null ? defaultModel : knowledgeBases.getOrDefault(knowledgeBase, defaultModel);
    }

    /** Where the models run. */
    public enum Backend {
        /** In this process, with ONNX Runtime: the bundled bge-small models. */
        ONNX,
        /** On a Triton Inference Server, over KServe v2 gRPC. */
        TRITON
    }

    /** What happens to a text longer than the model's window. */
    public enum Overflow {
        /** Embed it by windows and average their vectors, weighted by token count. */
        SPLIT,
        /** Refuse the request with a 400 naming the text. */
        REJECT
    }
}
