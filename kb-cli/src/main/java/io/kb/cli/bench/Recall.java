package io.kb.cli.bench;

import java.util.HashSet;
import java.util.Set;

/** Recall at k: the share of the true k nearest neighbours that a search's first k hits contain. */
final class Recall {

    private Recall() {
    }

    /**
     * @param exact per query, the true neighbours, nearest first (at least k of them, or all there are)
     * @param found per query, the search's hits, best first; only the first k count
     * @param k the cut-off
     * @return the mean over queries of |first k found ∩ first k exact| / |first k exact|; queries without
     *         true neighbours are left out, and with none at all the recall is NaN
     */
    static double atK(long[][] exact, long[][] found, int k) {
        if (exact.length != found.length) {
            throw new IllegalArgumentException("exact and found must have one row per query, had " + exact.length
                    + " and " + found.length);
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be 1 or more, was " + k);
        }
        double sum = 0;
        int counted = 0;
        for (int q = 0; q < exact.length; q++) {
            int truth = Math.min(k, exact[q].length);
            if (truth == 0) {
                continue;
            }
            Set<Long> wanted = new HashSet<>();
            for (int i = 0; i < truth; i++) {
                wanted.add(exact[q][i]);
            }
            int hits = 0;
            for (int i = 0; i < Math.min(k, found[q].length); i++) {
                if (wanted.contains(found[q][i])) {
                    hits++;
                }
            }
            sum += (double) hits / truth;
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }
}
