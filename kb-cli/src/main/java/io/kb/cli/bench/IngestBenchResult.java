package io.kb.cli.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * One run of {@code kb bench ingest}: the pipeline's rate against the model's own rate on the same chunk texts.
 *
 * @param documents  documents indexed
 * @param chunks     chunks the pipeline indexed for them (from their INDEXED statuses)
 * @param pipeline   from the first publish to the last INDEXED status
 * @param rawChunks  chunk texts sent straight to the model
 * @param raw        how long the model took for them
 * @param model      the embedding model's name, or null when unknown
 * @param processors the processors this machine offers the JVM
 */
record IngestBenchResult(int documents, long chunks, Duration pipeline, int rawChunks, Duration raw, String model,
        int processors) {

    /** The share of the model's rate that the pipeline reaches; the target is {@value #TARGET_RATIO} or more. */
    static final double TARGET_RATIO = 0.8;

    IngestBenchResult {
        if (pipeline.isNegative() || pipeline.isZero() || raw.isNegative() || raw.isZero()) {
            throw new IllegalArgumentException("durations must be positive");
        }
    }

    double pipelineDocumentsPerSecond() {
        return documents / seconds(pipeline);
    }

    double pipelineChunksPerSecond() {
        return chunks / seconds(pipeline);
    }

    double rawChunksPerSecond() {
        return rawChunks / seconds(raw);
    }

    double ratio() {
        return pipelineChunksPerSecond() / rawChunksPerSecond();
    }

    /** The table {@code kb bench ingest} prints. */
    String table() {
        StringBuilder t = new StringBuilder();
        row(t, "documents", Integer.toString(documents));
        row(t, "chunks", Long.toString(chunks));
        row(t, "pipeline time", String.format(Locale.ROOT, "%.2f s", seconds(pipeline)));
        row(t, "pipeline documents/s", String.format(Locale.ROOT, "%.1f", pipelineDocumentsPerSecond()));
        row(t, "pipeline chunks/s", String.format(Locale.ROOT, "%.1f", pipelineChunksPerSecond()));
        row(t, "raw model time", String.format(Locale.ROOT, "%.2f s", seconds(raw)));
        row(t, "raw model chunks/s", String.format(Locale.ROOT, "%.1f", rawChunksPerSecond()));
        row(t, "pipeline / raw", String.format(Locale.ROOT, "%.2f  (target >= %.2f: %s)", ratio(), TARGET_RATIO,
                ratio() >= TARGET_RATIO ? "met" : "not met"));
        row(t, "model", model == null ? "unknown" : model);
        row(t, "processors", Integer.toString(processors));
        return t.toString();
    }

    private static void row(StringBuilder t, String name, String value) {
        t.append(String.format(Locale.ROOT, "  %-22s %s%n", name, value));
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
