package io.kb.retrieval.index;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the chunk index, asked anew on every check: UP with the counts when {@link ChunkIndex#stats()}
 * answers, DOWN with the reason when it fails, such as while a Milvus server is down or restarting, so that a load
 * balancer sends no searches to an instance that cannot answer them.
 */
public class ChunkIndexHealthIndicator implements HealthIndicator {

    private final ChunkIndex index;

    /** @param index the index to ask */
    public ChunkIndexHealthIndicator(ChunkIndex index) {
        this.index = index;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("index", index.toString());
        try {
            IndexStats stats = index.stats();
            details.put("chunks", stats.chunkCount());
            details.put("documents", stats.documentCount());
            stats.embeddingIfKnown().ifPresent(e -> details.put("embedding", e.model() + " (" + e.dimension() + ")"));
            return Health.up().withDetails(details).build();
        } catch (RuntimeException e) {
            details.put("error", e.getMessage());
            return Health.down().withDetails(details).build();
        }
    }
}
