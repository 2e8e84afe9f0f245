package io.kb.cli.bench;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

import org.HdrHistogram.Histogram;

/**
 * What one or more closed-loop runs against one endpoint measured: the latencies of the successful requests, how
 * many there were, the failures by kind, and the wall time the runs took. Samples of the same endpoint add up, so
 * that alternating slices of a level become one sample per side.
 *
 * <p>The histogram is the sample's own copy and is never changed after construction.
 *
 * @param latencies    latencies of the requests answered 200, in microseconds
 * @param elapsedNanos wall time of the runs, from the first request sent to the last response read
 * @param errors       failures by kind ({@code HTTP 429}, {@code ConnectException}, ...), in name order
 * @param errorSamples the first response body (or message) seen for each kind of failure, shortened
 * @param remaining    the fewest {@code RateLimit-Remaining} tokens any response reported, or -1 when none did
 */
record LoadSample(Histogram latencies, long elapsedNanos, Map<String, Long> errors, Map<String, String> errorSamples,
        long remaining) {

    /** The longest latency a histogram holds, in microseconds (one minute); longer ones are clamped to it. */
    static final long MAX_MICROS = 60_000_000L;
    /** Significant decimal digits of the histograms: 0.1% resolution. */
    static final int DIGITS = 3;

    LoadSample {
        if (elapsedNanos < 0) {
            throw new IllegalArgumentException("elapsed time cannot be negative");
        }
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
        errorSamples = Collections.unmodifiableMap(new TreeMap<>(errorSamples));
    }

    /** A sample with no requests, to add others to. */
    static LoadSample empty() {
        return new LoadSample(newHistogram(), 0, Map.of(), Map.of(), -1);
    }

    static Histogram newHistogram() {
        return new Histogram(MAX_MICROS, DIGITS);
    }

    /** Requests answered 200. */
    long succeeded() {
        return latencies.getTotalCount();
    }

    /** Requests that failed, of every kind. */
    long failed() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Successful requests per second of wall time; zero for a sample that took no time. */
    double throughput() {
        return elapsedNanos == 0 ? 0 : succeeded() * 1e9 / elapsedNanos;
    }

    /**
     * A percentile of the successful requests' latencies, in milliseconds, or NaN when there were none.
     *
     * @param percentile between 0 and 100, e.g. 50 or 99
     */
    double percentileMillis(double percentile) {
        if (succeeded() == 0) {
            return Double.NaN;
        }
        return latencies.getValueAtPercentile(percentile) / 1000.0;
    }

    /** This sample and another of the same endpoint as one: counts, failures and times add up. */
    LoadSample plus(LoadSample other) {
        Histogram both = latencies.copy();
        both.add(other.latencies);
        Map<String, Long> errs = new TreeMap<>(errors);
        other.errors.forEach((kind, n) -> errs.merge(kind, n, Long::sum));
        Map<String, String> samples = new TreeMap<>(other.errorSamples);
        samples.putAll(errorSamples);
        return new LoadSample(both, elapsedNanos + other.elapsedNanos, errs, samples, fewer(remaining, other.remaining));
    }

    /** The smaller of two token counts, where -1 means unknown. */
    static long fewer(long a, long b) {
        if (a < 0) {
            return b;
        }
        return b < 0 ? a : Math.min(a, b);
    }
}
