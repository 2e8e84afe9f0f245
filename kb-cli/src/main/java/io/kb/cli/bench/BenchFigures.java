package io.kb.cli.bench;

import java.util.Locale;

import tools.jackson.databind.node.ObjectNode;

/** How the benchmarks' reports write a figure that may not exist (a rate over no time, a percentile of nothing). */
final class BenchFigures {

    private BenchFigures() {
    }

    /** JSON has no NaN: a figure that could not be computed is null. */
    static void number(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.putNull(name);
        }
    }

    /** The figure with the given decimals, or {@code -} when it could not be computed. */
    static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }
}
