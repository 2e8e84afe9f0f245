package io.kb.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.kb.contracts.api.EmbeddingBatchRequest;
import io.kb.contracts.api.EmbeddingBatchResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model alone: texts sent straight to embedding-service's internal batch endpoint, the way ingest-service
 * sends a document's chunks (requests of {@code batchSize} texts, a few callers at a time), with nothing else
 * around them. Each of the {@code concurrency} callers takes the next batch as soon as its previous one is answered.
 */
final class DirectEmbedding {

    /** What one run took. */
    record Run(int texts, String model, int dimension, Duration elapsed) {
    }

    static final String PATH = "/internal/v1/embeddings:batch";

    private final URI endpoint;
    private final String knowledgeBase;
    private final int batchSize;
    private final int concurrency;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    DirectEmbedding(URI embeddingService, String knowledgeBase, int batchSize, int concurrency) {
        this.endpoint = embeddingService.resolve(PATH);
        this.knowledgeBase = knowledgeBase;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
    }

    /** Embeds every text, in batches, and returns once all are answered. */
    Run embed(List<String> texts) {
        List<List<String>> batches = new ArrayList<>();
        for (int from = 0; from < texts.size(); from += batchSize) {
            batches.add(texts.subList(from, Math.min(texts.size(), from + batchSize)));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<EmbeddingBatchResponse> last = new AtomicReference<>();
        long start = System.nanoTime();
        try (ExecutorService callers = Executors.newFixedThreadPool(concurrency)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                running.add(callers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                        last.set(call(batches.get(i)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        EmbeddingBatchResponse r = last.get();
        return new Run(texts.size(), r == null ? null : r.model(), r == null ? 0 : r.dimension(), elapsed);
    }

    private EmbeddingBatchResponse call(List<String> texts) {
        byte[] body = json.writeValueAsBytes(EmbeddingBatchRequest.forKnowledgeBase(knowledgeBase, texts));
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("embedding-service unreachable at " + endpoint + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while embedding", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("embedding-service answered " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        EmbeddingBatchResponse r = json.readValue(response.body(), EmbeddingBatchResponse.class);
        if (r.vectors() == null || r.vectors().size() != texts.size()) {
            throw new IllegalStateException("embedding-service answered "
                    + (r.vectors() == null ? "no" : r.vectors().size()) + " vectors for " + texts.size() + " texts");
        }
        return r;
    }
}
