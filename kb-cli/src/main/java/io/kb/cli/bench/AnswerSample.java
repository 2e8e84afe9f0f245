package io.kb.cli.bench;

/**
 * One request of {@code kb bench answer}, as the asker saw it and as the answer's {@code timings} describe it.
 *
 * @param startNanos     when it was sent ({@link System#nanoTime()})
 * @param endNanos       when the whole response had arrived
 * @param status         the HTTP status, or 0 when no response came
 * @param tier           the tier that answered ({@code none} for a refusal without generation), or null on failure
 * @param reason         why that tier ({@code healthy}, {@code slow}, {@code circuit_open}, ...), or null on failure
 * @param degradedFrom   the preferred tier that did not answer, or null
 * @param totalMillis    the pipeline's own {@code timings.total}
 * @param retrieveMillis {@code timings.retrieve}
 * @param generateMillis {@code timings.generate} (0 when nothing was generated)
 * @param error          what went wrong, or null
 */
record AnswerSample(long startNanos, long endNanos, int status, String tier, String reason, String degradedFrom,
        double totalMillis, double retrieveMillis, double generateMillis, String error) {

    boolean failed() {
        return status != 200;
    }

    double latencyMillis() {
        return (endNanos - startNanos) / 1e6;
    }

    /** Whether the preferred tier was skipped without being waited on: its circuit was not closed. */
    boolean skippedOpenCircuit() {
        return degradedFrom != null && "circuit_open".equals(reason);
    }

    static AnswerSample failure(long start, long end, int status, String error) {
        return new AnswerSample(start, end, status, null, null, null, 0, 0, 0, error);
    }
}
