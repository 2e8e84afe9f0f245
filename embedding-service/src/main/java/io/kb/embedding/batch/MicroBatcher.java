package io.kb.embedding.batch;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.embedding.model.EmbeddingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Dynamic micro-batching in front of one {@link EmbeddingModel}: texts from many concurrent callers are
 * gathered into batches of up to {@code maxSize} texts, or whatever arrived within {@code maxWait} of the
 * oldest waiting text, and run on at most {@code workers} batches at a time. Each caller's future completes
 * with its own vectors in its own order; a request may be spread over several batches.
 *
 * <p>The queue is bounded in texts: a request that does not fit is refused at once with
 * {@link OverloadedException}, never queued without bound. While all workers are busy, texts keep
 * queueing, so batches grow with the load.
 *
 * <p>Meters ({@code model} tag): {@code kb.embedding.batch.size}, {@code kb.embedding.queue.wait},
 * {@code kb.embedding.inference} (model time per batch), {@code kb.embedding.texts},
 * {@code kb.embedding.queue.depth}, {@code kb.embedding.rejections}.
 */
public final class MicroBatcher implements AutoCloseable {

    private final EmbeddingModel model;
    private final BatchSettings settings;
    private final BlockingQueue<Slot> queue = new LinkedBlockingQueue<>();
    /** Texts admitted and not yet taken into a batch; the bound is checked against it before enqueueing. */
    private final AtomicInteger depth = new AtomicInteger();
    private final Semaphore idleWorkers;
    private final ExecutorService workers;
    private final Thread dispatcher;
    private volatile boolean closed;

    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer inference;
    private final Counter texts;
    private final Counter rejections;

    /**
     * Starts the batcher's dispatcher thread.
     *
     * @param model the model to feed
     * @param settings batch size, wait, queue bound and workers
     * @param meters where the meters go
     */
    public MicroBatcher(EmbeddingModel model, BatchSettings settings, MeterRegistry meters) {
        this.model = model;
        this.settings = settings;
        this.idleWorkers = new Semaphore(settings.workers());
        // Platform threads: model calls are long native calls that would pin a virtual thread's carrier.
        this.workers = Executors.newFixedThreadPool(settings.workers(),
                Thread.ofPlatform().name("embed-" + model.name() + "-", 0).daemon().factory());
        String name = model.name();
        this.batchSize = DistributionSummary.builder("kb.embedding.batch.size")
                .description("Texts per batch handed to the model").baseUnit("texts").tag("model", name)
                .publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue((double) Math.max(2, settings.maxSize())).register(meters);
        this.queueWait = Timer.builder("kb.embedding.queue.wait")
                .description("Time a text waits from admission until its batch starts").tag("model", name)
                .publishPercentileHistogram().register(meters);
        this.inference = Timer.builder("kb.embedding.inference")
                .description("Model time per batch").tag("model", name)
                .publishPercentileHistogram().register(meters);
        this.texts = Counter.builder("kb.embedding.texts").description("Texts embedded").tag("model", name)
                .register(meters);
        this.rejections = Counter.builder("kb.embedding.rejections")
                .description("Requests refused because the queue was full").tag("model", name).register(meters);
        Gauge.builder("kb.embedding.queue.depth", depth, AtomicInteger::get)
                .description("Texts waiting for a batch").tag("model", name).register(meters);
        // Published so that saturation (depth / capacity) is one division in PromQL, whatever the configuration.
        Gauge.builder("kb.embedding.queue.capacity", settings, BatchSettings::queueCapacity)
                .description("Texts the queue admits before it refuses requests").tag("model", name).register(meters);
        this.dispatcher = Thread.ofPlatform().name("embed-" + name + "-dispatcher").daemon().start(this::dispatch);
    }

    /** The model behind this batcher. */
    public EmbeddingModel model() {
        return model;
    }

    /**
     * Queues texts for embedding.
     *
     * @param request non-blank texts, at most the queue capacity
     * @return a future of one vector per text, in the order of {@code request}
     * @throws OverloadedException at once, when the queue cannot take all the texts
     */
    public CompletableFuture<List<float[]>> submit(List<String> request) {
        if (request.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        if (closed) {
            throw new IllegalStateException("the batcher of " + model.name() + " is closed");
        }
        int n = request.size();
        int current;
        do {
            current = depth.get();
            if (current + n > settings.queueCapacity()) {
                rejections.increment();
                throw new OverloadedException(model.name(), n, settings.retryAfter());
            }
        } while (!depth.compareAndSet(current, current + n));
        Pending pending = new Pending(n);
        long now = System.nanoTime();
        for (int i = 0; i < n; i++) {
            queue.add(new Slot(pending, i, request.get(i), now));
        }
        return pending.future;
    }

    /** The dispatcher's loop: wait for a free worker, then for a first text, then fill the batch until full or due. */
    private void dispatch() {
        while (!closed) {
            try {
                idleWorkers.acquire();
                List<Slot> batch = gather();
                workers.execute(() -> run(batch));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // Executor rejected after close; the queue is failed by close().
                idleWorkers.release();
            }
        }
    }

    private List<Slot> gather() throws InterruptedException {
        Slot first = queue.take();
        List<Slot> batch = new ArrayList<>(settings.maxSize());
        batch.add(first);
        long deadline = first.admittedNanos + settings.maxWait().toNanos();
        while (batch.size() < settings.maxSize()) {
            // Take what is already there without waiting; wait only while the oldest text is not yet due.
            queue.drainTo(batch, settings.maxSize() - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() >= settings.maxSize() || left <= 0) {
                break;
            }
            Slot next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            batch.add(next);
        }
        depth.addAndGet(-batch.size());
        return batch;
    }

    private void run(List<Slot> batch) {
        try {
            long start = System.nanoTime();
            for (Slot slot : batch) {
                queueWait.record(start - slot.admittedNanos, TimeUnit.NANOSECONDS);
            }
            batchSize.record(batch.size());
            List<float[]> vectors = model.embed(batch.stream().map(Slot::text).toList());
            inference.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (vectors.size() != batch.size()) {
                throw new IllegalStateException("model " + model.name() + " returned " + vectors.size()
                        + " vectors for " + batch.size() + " texts");
            }
            texts.increment(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).pending.complete(batch.get(i).index, vectors.get(i));
            }
        } catch (RuntimeException | Error e) {
            Map<Pending, Boolean> failed = new IdentityHashMap<>();
            for (Slot slot : batch) {
                if (failed.put(slot.pending, Boolean.TRUE) == null) {
                    slot.pending.future.completeExceptionally(e);
                }
            }
        } finally {
            idleWorkers.release();
        }
    }

    /** Stops the dispatcher and the workers; requests still queued fail. */
    @Override
    public void close() {
        closed = true;
        dispatcher.interrupt();
        workers.shutdown();
        List<Slot> left = new ArrayList<>();
        queue.drainTo(left);
        IllegalStateException stopped = new IllegalStateException("the batcher of " + model.name() + " was closed");
        left.forEach(slot -> slot.pending.future.completeExceptionally(stopped));
    }

    /** One text of a request, waiting for a batch. */
    private record Slot(Pending pending, int index, String text, long admittedNanos) {
    }

    /** One caller's request: its vectors fill in as its texts' batches finish. */
    private static final class Pending {
        private final float[][] vectors;
        private final AtomicInteger missing;
        private final CompletableFuture<List<float[]>> future = new CompletableFuture<>();

        Pending(int size) {
            this.vectors = new float[size][];
            this.missing = new AtomicInteger(size);
        }

        void complete(int index, float[] vector) {
            vectors[index] = vector;
            // The decrement publishes the write above to whichever worker completes the future.
            if (missing.decrementAndGet() == 0) {
                future.complete(List.of(vectors));
            }
        }
    }
}
