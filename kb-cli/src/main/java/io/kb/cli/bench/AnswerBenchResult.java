package io.kb.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code kb bench answer} measured, with its verdicts.
 *
 * @param extractive   phase A: the running stack's inference-service, one measurement per concurrency
 * @param degradation  phase B, or null when it was not run
 * @param verdicts     one per target
 */
record AnswerBenchResult(List<Measurement> extractive, Degradation degradation, List<Verdict> verdicts) {

    /** The orchestration overhead target: at most this share of an answer's time outside retrieval and generation. */
    static final double OVERHEAD_TARGET = 0.10;

    /**
     * Statistics of one run of requests.
     *
     * @param label             what was measured
     * @param concurrency       requests in flight at once
     * @param requests          requests sent
     * @param failed            requests without a 200 answer
     * @param answersPerSecond  answers over the wall time of the run
     * @param p50Millis         median latency as the asker saw it
     * @param p99Millis         99th percentile latency as the asker saw it
     * @param maxMillis         the slowest
     * @param overheadShare     the pipeline's time outside retrieval and generation over its total time, summed over
     *                          the answers ({@code (total - retrieve - generate) / total})
     * @param tiers             answers by the tier and reason that produced them ({@code extractive/healthy})
     */
    record Measurement(String label, int concurrency, int requests, int failed, double answersPerSecond,
            double p50Millis, double p99Millis, double maxMillis, double overheadShare, Map<String, Integer> tiers) {

        static Measurement of(String label, int concurrency, List<AnswerSample> samples) {
            if (samples.isEmpty()) {
                throw new IllegalArgumentException("no samples for " + label);
            }
            long first = samples.stream().mapToLong(AnswerSample::startNanos).min().orElseThrow();
            long last = samples.stream().mapToLong(AnswerSample::endNanos).max().orElseThrow();
            double[] latencies = samples.stream().mapToDouble(AnswerSample::latencyMillis).sorted().toArray();
            double total = 0;
            double outside = 0;
            Map<String, Integer> tiers = new TreeMap<>();
            int failed = 0;
            for (AnswerSample s : samples) {
                if (s.failed()) {
                    failed++;
                    continue;
                }
                total += s.totalMillis();
                outside += Math.max(0, s.totalMillis() - s.retrieveMillis() - s.generateMillis());
                tiers.merge(s.tier() + "/" + s.reason(), 1, Integer::sum);
            }
            double seconds = Math.max(1e-9, (last - first) / 1e9);
            return new Measurement(label, concurrency, samples.size(), failed, (samples.size() - failed) / seconds,
                    percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1],
                    total > 0 ? outside / total : 0, tiers);
        }
    }

    /**
     * Phase B: a second inference-service with a primary tier on the stand-in model before the extractive tier.
     *
     * @param sloMillis          the primary tier's SLO
     * @param fastMillis         the stand-in's first-token delay while fast
     * @param slowMillis         its delay after the switch
     * @param fast               the measurement while it was fast
     * @param reaction           how the policy reacted to the switch
     * @param afterReaction      the requests sent after the first answer that skipped the open circuit
     * @param failedRequests     requests of phase B without a 200 answer, all parts counted
     */
    record Degradation(long sloMillis, long fastMillis, long slowMillis, Measurement fast, Reaction reaction,
            Measurement afterReaction, int failedRequests) {
    }

    /**
     * @param requestsUntilOpen  answers completed after the switch up to and including the first one that skipped
     *                           the primary tier because its circuit was open; -1 when none did
     * @param slowFallbacks      of those, answers that waited for the primary's first token and then fell back
     * @param secondsUntilOpen   from the switch to that answer
     * @param worstMillis        the slowest answer of the reaction window
     */
    record Reaction(int requestsUntilOpen, int slowFallbacks, double secondsUntilOpen, double worstMillis) {

        /**
         * @param afterSwitch the answers of the slow part, in the order they completed
         * @param switchNanos when the stand-in was made slow
         */
        static Reaction of(List<AnswerSample> afterSwitch, long switchNanos) {
            List<AnswerSample> ordered = new ArrayList<>(afterSwitch);
            ordered.sort(Comparator.comparingLong(AnswerSample::endNanos));
            int slow = 0;
            double worst = 0;
            for (int i = 0; i < ordered.size(); i++) {
                AnswerSample s = ordered.get(i);
                worst = Math.max(worst, s.latencyMillis());
                if (s.degradedFrom() != null && "slow".equals(s.reason())) {
                    slow++;
                }
                if (s.skippedOpenCircuit()) {
                    return new Reaction(i + 1, slow, (s.endNanos() - switchNanos) / 1e9, worst);
                }
            }
            return new Reaction(-1, slow, -1, worst);
        }

        boolean reacted() {
            return requestsUntilOpen > 0;
        }
    }

    /**
     * @param target   what was aimed at
     * @param measured what was found
     * @param met      whether it was met
     */
    record Verdict(String target, String measured, boolean met) {
    }

    /** The verdicts for the measurements: overhead per concurrency, then phase B's latency bound and failures. */
    static List<Verdict> verdicts(List<Measurement> extractive, Degradation degradation) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Measurement m : extractive) {
            verdicts.add(new Verdict(String.format(Locale.ROOT, "orchestration overhead <= %.0f%% (concurrency %d)",
                    OVERHEAD_TARGET * 100, m.concurrency()),
                    String.format(Locale.ROOT, "%.1f%%", m.overheadShare() * 100),
                    m.failed() == 0 && m.overheadShare() <= OVERHEAD_TARGET));
        }
        if (degradation != null) {
            Measurement after = degradation.afterReaction();
            Measurement baseline = extractive.stream().filter(m -> after != null && m.concurrency() == after.concurrency())
                    .findFirst().orElse(extractive.getLast());
            double bound = degradation.sloMillis() + baseline.p99Millis();
            verdicts.add(new Verdict("the policy reacts: the primary's circuit opens under a slow first token",
                    degradation.reaction().reacted()
                            ? String.format(Locale.ROOT, "after %d answers, %.1f s", degradation.reaction()
                            .requestsUntilOpen(), degradation.reaction().secondsUntilOpen())
                            : "never", degradation.reaction().reacted()));
            verdicts.add(new Verdict(String.format(Locale.ROOT, "p99 after the reaction < SLO + extractive p99 "
                    + "= %d + %.0f = %.0f ms", degradation.sloMillis(), baseline.p99Millis(), bound),
                    after == null ? "not measured" : String.format(Locale.ROOT, "%.0f ms", after.p99Millis()),
                    after != null && after.p99Millis() < bound));
            verdicts.add(new Verdict("no failed request in phase B", Integer.toString(degradation.failedRequests())
                    + " failed", degradation.failedRequests() == 0));
        }
        return List.copyOf(verdicts);
    }

    boolean allMet() {
        return verdicts.stream().allMatch(Verdict::met);
    }

    /** The tables and verdicts {@code kb bench answer} prints. */
    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "  %-34s %5s %8s %7s %10s %10s %10s %9s  %s%n", "run", "conc", "requests",
                "failed", "answers/s", "p50 ms", "p99 ms", "overhead", "answered by"));
        List<Measurement> rows = new ArrayList<>(extractive);
        if (degradation != null) {
            rows.add(degradation.fast());
            if (degradation.afterReaction() != null) {
                rows.add(degradation.afterReaction());
            }
        }
        for (Measurement m : rows) {
            t.append(String.format(Locale.ROOT, "  %-34s %5d %8d %7d %10.1f %10.0f %10.0f %8.1f%%  %s%n", m.label(),
                    m.concurrency(), m.requests(), m.failed(), m.answersPerSecond(), m.p50Millis(), m.p99Millis(),
                    m.overheadShare() * 100, m.tiers()));
        }
        if (degradation != null) {
            Reaction r = degradation.reaction();
            t.append(String.format(Locale.ROOT, "%n  primary tier: SLO %d ms; stand-in first token %d ms, then %d ms%n",
                    degradation.sloMillis(), degradation.fastMillis(), degradation.slowMillis()));
            t.append(r.reacted()
                    ? String.format(Locale.ROOT, "  reaction window: %d answers (%d waited for the slow primary and "
                            + "fell back), %.1f s after the switch, slowest %.0f ms%n", r.requestsUntilOpen(),
                            r.slowFallbacks(), r.secondsUntilOpen(), r.worstMillis())
                    : "  reaction window: the primary's circuit never opened\n");
        }
        t.append('\n');
        for (Verdict v : verdicts) {
            t.append(String.format(Locale.ROOT, "  %-8s %s: %s%n", v.met() ? "MET" : "NOT MET", v.target(),
                    v.measured()));
        }
        return t.toString();
    }

    /** Nearest rank: the smallest value with at least {@code p} of the values at or below it. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }
}
