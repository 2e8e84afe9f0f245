package io.kb.cli.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;

/**
 * A closed-loop load: a fixed number of workers, each sending the same request again as soon as the previous
 * answer has been read, over one client's keep-alive connections. Every worker is a virtual thread blocked in
 * {@link HttpClient#send}, so the client holds one connection per worker once warmed up. Latency is measured from
 * the send to the last byte of the response; only 200 answers count as successes, every other status and every
 * I/O failure is counted by kind. A closed loop measures service time under load; it does not model arrivals
 * that keep coming while the server is slow.
 */
final class ClosedLoopLoad {

    /** The gateway's header with the tokens left in the tighter of the caller's and the tenant's buckets. */
    static final String RATE_LIMIT_REMAINING = "RateLimit-Remaining";

    private static final int MAX_SAMPLE = 300;

    private final HttpClient http;
    private final HttpRequest request;

    ClosedLoopLoad(HttpClient http, HttpRequest request) {
        this.http = http;
        this.request = request;
    }

    /** How long a run lasts: a wall-clock duration, or a number of requests shared by all workers. */
    sealed interface Length {

        /** Workers start no new request once the duration has passed; those in flight complete. */
        record Timed(Duration duration) implements Length {
        }

        /** Exactly this many requests, taken one at a time by whichever worker is free. */
        record Counted(long requests) implements Length {
        }
    }

    /**
     * Runs the load and returns what it measured.
     *
     * @param concurrency workers, i.e. requests in flight at once
     * @param length      when to stop
     */
    LoadSample run(int concurrency, Length length) throws InterruptedException {
        AtomicLong permits = new AtomicLong(length instanceof Length.Counted c ? c.requests() : Long.MAX_VALUE);
        long start = System.nanoTime();
        long deadline = length instanceof Length.Timed t ? start + t.duration().toNanos() : Long.MAX_VALUE;
        List<Worker> workers = new ArrayList<>(concurrency);
        List<Thread> threads = new ArrayList<>(concurrency);
        for (int i = 0; i < concurrency; i++) {
            Worker w = new Worker(deadline, permits);
            workers.add(w);
            threads.add(Thread.ofVirtual().name("bench-worker-" + i).start(w));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            threads.forEach(Thread::interrupt);
            throw e;
        }
        long elapsed = System.nanoTime() - start;
        LoadSample total = new LoadSample(LoadSample.newHistogram(), elapsed, Map.of(), Map.of(), -1);
        for (Worker w : workers) {
            // Elapsed is the run's wall time, counted once, not the sum over workers.
            total = total.plus(new LoadSample(w.latencies, 0, w.errors, w.samples, w.remaining));
        }
        return total;
    }

    /** One worker's loop and what it saw; read only after its thread has ended. */
    private final class Worker implements Runnable {

        private final long deadline;
        private final AtomicLong permits;
        private final Histogram latencies = LoadSample.newHistogram();
        private final Map<String, Long> errors = new HashMap<>();
        private final Map<String, String> samples = new HashMap<>();
        private long remaining = -1;

        Worker(long deadline, AtomicLong permits) {
            this.deadline = deadline;
            this.permits = permits;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline && permits.getAndDecrement() > 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                long t0 = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(request, ClosedLoopLoad::bodyOfFailuresOnly);
                    long micros = (System.nanoTime() - t0) / 1000;
                    response.headers().firstValueAsLong(RATE_LIMIT_REMAINING)
                            .ifPresent(left -> remaining = LoadSample.fewer(remaining, left));
                    if (response.statusCode() == 200) {
                        latencies.recordValue(Math.clamp(micros, 1, LoadSample.MAX_MICROS));
                    } else {
                        failed("HTTP " + response.statusCode(), response.body());
                    }
                } catch (IOException e) {
                    failed(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void failed(String kind, String detail) {
            errors.merge(kind, 1L, Long::sum);
            samples.putIfAbsent(kind, shorten(detail));
        }
    }

    /** A 200's body is read and dropped, keeping the connection reusable; any other body is kept to be shown. */
    private static HttpResponse.BodySubscriber<String> bodyOfFailuresOnly(HttpResponse.ResponseInfo info) {
        return info.statusCode() == 200 ? HttpResponse.BodySubscribers.replacing(null)
                : HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
    }

    static String shorten(String text) {
        String oneLine = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SAMPLE ? oneLine : oneLine.substring(0, MAX_SAMPLE) + "...";
    }
}
