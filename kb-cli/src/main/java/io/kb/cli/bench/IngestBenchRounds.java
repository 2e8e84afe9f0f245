package io.kb.cli.bench;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Several rounds of {@code kb bench ingest}, each a pipeline phase followed by a raw-model phase on its own texts.
 * On a machine shared with other work the load drifts during a run; alternating the two phases (pipeline, raw,
 * pipeline, raw...) spreads the drift over both, and the median ratio is not moved by one disturbed round.
 *
 * @param rounds the rounds in the order they ran, at least one
 */
record IngestBenchRounds(List<IngestBenchResult> rounds) {

    IngestBenchRounds {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("at least one round is needed");
        }
        rounds = List.copyOf(rounds);
    }

    /** The median of the rounds' ratios (the mean of the two middle ones for an even count). */
    double medianRatio() {
        double[] ratios = rounds.stream().mapToDouble(IngestBenchResult::ratio).sorted().toArray();
        int middle = ratios.length / 2;
        return ratios.length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
    }

    /** The round whose ratio is closest to the median: its table is the one printed in full. */
    IngestBenchResult medianRound() {
        double median = medianRatio();
        return rounds.stream().min(Comparator.comparingDouble(r -> Math.abs(r.ratio() - median))).orElseThrow();
    }

    /** One line per round. */
    static String line(int round, IngestBenchResult result) {
        return String.format(Locale.ROOT, "  round %d: pipeline %.1f chunks/s (%d in %.2f s), raw %.1f chunks/s, ratio %.2f%n",
                round, result.pipelineChunksPerSecond(), result.chunks(), result.pipeline().toNanos() / 1e9,
                result.rawChunksPerSecond(), result.ratio());
    }

    /** The closing lines: every ratio and their median against the target. */
    String summary() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "  %-22s", "ratios"));
        rounds.forEach(r -> s.append(String.format(Locale.ROOT, " %.2f", r.ratio())));
        s.append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "  %-22s %.2f over %d rounds  (target >= %.2f: %s)%n", "median ratio",
                medianRatio(), rounds.size(), IngestBenchResult.TARGET_RATIO,
                medianRatio() >= IngestBenchResult.TARGET_RATIO ? "met" : "not met"));
        return s.toString();
    }
}
