package io.kb.embedding.api;

import java.util.List;
import java.util.concurrent.CompletionException;

import io.kb.contracts.ContractViolationException;
import io.kb.embedding.EmbeddingProperties;
import io.kb.embedding.batch.MicroBatchers;
import io.kb.embedding.batch.OverloadedException;
import io.kb.embedding.model.EmbeddingModel;
import io.kb.embedding.model.EmbeddingModels;
import io.kb.embedding.model.ModelRejectedException;
import io.kb.embedding.model.ModelUnavailableException;
import io.kb.embedding.model.TokenCounter;
import org.springframework.stereotype.Component;

/**
 * What both endpoints do with a request's texts, as numbered steps: (1) resolve the model, (2) check the
 * number of texts and each text, (3) count tokens and apply the overflow policy, (4) queue the texts on
 * the model's micro-batcher and wait for the vectors; a model server that cannot answer now becomes
 * a 503 with {@code Retry-After}, one that refuses the request a 502.
 */
@Component
class TextEmbedder {

    /** The vectors of one request, with the model that made them and each text's token count. */
    record Embedded(EmbeddingModel model, List<float[]> vectors, int[] tokens) {

        int totalTokens() {
            int sum = 0;
            for (int t : tokens) {
                sum += t;
            }
            return sum;
        }
    }

    private final EmbeddingModels models;
    private final MicroBatchers batchers;
    private final EmbeddingProperties properties;

    TextEmbedder(EmbeddingModels models, MicroBatchers batchers, EmbeddingProperties properties) {
        this.models = models;
        this.batchers = batchers;
        this.properties = properties;
    }

    /**
     * @param name a model name, or null for the default
     * @param field the request field that named it, for the problem
     */
    EmbeddingModel model(String name, String field) {
        String wanted = name == null || name.isBlank() ? properties.defaultModel() : name;
        return models.find(wanted).orElseThrow(() -> new ContractViolationException(field,
                "unknown model '" + wanted + "'; this service serves " + properties.models()));
    }

    /** The model configured for a knowledge base, or the default one. */
    EmbeddingModel modelForKnowledgeBase(String knowledgeBase) {
        return model(properties.modelFor(knowledgeBase), "knowledgeBase");
    }

    /**
     * @param model the resolved model
     * @param texts the request's texts
     * @param field the request field holding them, such as {@code input}
     */
    Embedded embed(EmbeddingModel model, List<String> texts, String field) {
        if (texts == null || texts.isEmpty()) {
            throw new ContractViolationException(field, "must hold at least one text");
        }
        if (texts.size() > properties.maxInputsPerRequest()) {
            throw new ContractViolationException(field, "holds " + texts.size() + " texts, more than the limit of "
                    + properties.maxInputsPerRequest());
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null || texts.get(i).isBlank()) {
                throw new ContractViolationException(field + "[" + i + "]", "must not be blank");
            }
        }
        int[] tokens = new int[texts.size()];
        if (model instanceof TokenCounter counter) {
            for (int i = 0; i < texts.size(); i++) {
                tokens[i] = counter.countTokens(texts.get(i));
                if (properties.overflow() == EmbeddingProperties.Overflow.REJECT && tokens[i] > model.maxTokens()) {
                    throw new ContractViolationException(field + "[" + i + "]", "has " + tokens[i]
                            + " tokens, more than the " + model.maxTokens() + " of model " + model.name());
                }
            }
        }
        try {
            List<float[]> vectors = batchers.forModel(model.name()).submit(texts).join();
            return new Embedded(model, vectors, tokens);
        } catch (OverloadedException e) {
            throw new ServiceOverloadedException(e);
        } catch (CompletionException e) {
            throw switch (e.getCause()) {
                case ModelUnavailableException unavailable -> new BackendUnavailableException(unavailable,
                        properties.batch().retryAfter());
                case ModelRejectedException rejected -> new BackendRejectedException(rejected);
                case RuntimeException r -> r;
                default -> e;
            };
        }
    }
}
