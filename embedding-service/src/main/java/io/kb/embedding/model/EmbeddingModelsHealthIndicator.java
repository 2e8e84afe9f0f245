package io.kb.embedding.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the models ({@code embeddingModels} in the readiness group): UP once every configured model
 * is loaded and has embedded a probe text with its dimension; DOWN with the reason otherwise. Models load
 * while the application context starts, so the service never reports ready before they are in memory.
 */
public class EmbeddingModelsHealthIndicator implements HealthIndicator {

    private final EmbeddingModels models;
    private volatile Map<String, Object> verified;

    /** @param models the loaded models */
    public EmbeddingModelsHealthIndicator(EmbeddingModels models) {
        this.models = models;
    }

    @Override
    public Health health() {
        if (verified != null) {
            return Health.up().withDetails(verified).build();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (EmbeddingModel model : models.all()) {
            int length = model.embed(List.of("readiness probe")).getFirst().length;
            if (length != model.dimension()) {
                return Health.down().withDetail(model.name(), "returned " + length + " dimensions, not "
                        + model.dimension()).build();
            }
            details.put(model.name(), Map.of("dimension", model.dimension(), "maxTokens", model.maxTokens()));
        }
        verified = Map.copyOf(details);
        return Health.up().withDetails(verified).build();
    }
}
