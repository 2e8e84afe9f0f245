package io.kb.embedding.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.kb.embedding.model.EmbeddingModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {

    /** A model whose vector is a pure function of the text, recording the batches it receives. */
    static final class FakeModel implements EmbeddingModel {
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public int maxTokens() {
            return 512;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (texts.contains("boom")) {
                throw new IllegalStateException("model failed");
            }
            batchSizes.add(texts.size());
            return texts.stream().map(FakeModel::vector).toList();
        }

        static float[] vector(String text) {
            return new float[] {text.hashCode(), text.length(), text.isEmpty() ? 0 : text.charAt(0)};
        }
    }

    private final FakeModel model = new FakeModel();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void givesEveryConcurrentCallerItsOwnVectorsInOrder() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher(model, new BatchSettings(8, Duration.ofMillis(2), 4096, 2,
                Duration.ofSeconds(1)), meters); ExecutorService callers = Executors.newFixedThreadPool(32)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int caller = 0; caller < 200; caller++) {
                int c = caller;
                results.add(callers.submit(() -> {
                    List<String> texts = new ArrayList<>();
                    for (int t = 0; t < 1 + c % 7; t++) {
                        texts.add("caller " + c + " text " + t);
                    }
                    List<float[]> vectors = batcher.submit(texts).get(10, TimeUnit.SECONDS);
                    List<float[]> direct = model.embed(texts);
                    for (int t = 0; t < texts.size(); t++) {
                        assertThat(vectors.get(t)).containsExactly(direct.get(t));
                    }
                    return vectors.size() == texts.size();
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        }
        assertThat(model.batchSizes).allMatch(size -> size <= 8);
        assertThat(model.batchSizes.stream().anyMatch(size -> size > 1)).as("some batches gathered texts").isTrue();
        assertThat(meters.get("kb.embedding.texts").tag("model", "fake").counter().count()).isGreaterThan(0);
        assertThat(meters.get("kb.embedding.batch.size").summary().count()).isGreaterThan(0);
    }

    @Test
    void sendsALoneRequestWithoutWaitingForAFullBatch() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher(model, new BatchSettings(32, Duration.ofMillis(20), 1024, 1,
                Duration.ofSeconds(1)), meters)) {
            List<float[]> vectors = batcher.submit(List.of("alone")).get(5, TimeUnit.SECONDS);

            assertThat(vectors.getFirst()).containsExactly(FakeModel.vector("alone"));
            assertThat(model.batchSizes).containsExactly(1);
        }
    }

    @Test
    void rejectsAtOnceWhenTheQueueIsFull() throws Exception {
        model.gate = new CountDownLatch(1);
        try (MicroBatcher batcher = new MicroBatcher(model, new BatchSettings(2, Duration.ZERO, 4, 1,
                Duration.ofSeconds(3)), meters)) {
            CompletableFuture<List<float[]>> running = batcher.submit(List.of("a"));
            // Let the only worker take the first batch, so that the next texts stay queued.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (meters.get("kb.embedding.queue.depth").gauge().value() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            CompletableFuture<List<float[]>> queued = batcher.submit(List.of("c", "d", "e", "f"));

            assertThatThrownBy(() -> batcher.submit(List.of("g")))
                    .isInstanceOf(OverloadedException.class)
                    .satisfies(e -> assertThat(((OverloadedException) e).retryAfter()).hasSeconds(3));
            assertThat(meters.get("kb.embedding.rejections").counter().count()).isEqualTo(1.0);

            model.gate.countDown();
            assertThat(running.get(5, TimeUnit.SECONDS)).hasSize(1);
            assertThat(queued.get(5, TimeUnit.SECONDS).get(3)).containsExactly(FakeModel.vector("f"));
        }
    }

    @Test
    void failsTheCallersOfABatchWhoseModelCallFails() throws Exception {
        try (MicroBatcher batcher = new MicroBatcher(model, new BatchSettings(32, Duration.ZERO, 64, 1,
                Duration.ofSeconds(1)), meters)) {
            CompletableFuture<List<float[]>> failing = batcher.submit(List.of("ok", "boom"));

            assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseMessage("model failed");
            assertThat(batcher.submit(List.of("after")).get(5, TimeUnit.SECONDS)).hasSize(1);
        }
    }
}
