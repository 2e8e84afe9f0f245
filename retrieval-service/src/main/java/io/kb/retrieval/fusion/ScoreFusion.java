package io.kb.retrieval.fusion;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.kb.retrieval.index.ChunkHit;

/**
 * Fusion by normalised scores: each ranking's scores are put on a common scale ({@link Normalisation}), and a
 * chunk's fused score is the weighted sum over the rankings of its normalised score in each. Unlike
 * {@link ReciprocalRankFusion}, the margins survive: a chunk far ahead in one list keeps that lead, where RRF
 * would give it the same credit as a chunk barely ahead.
 *
 * <p>A chunk missing from a ranking scores, for that ranking, the lowest normalised score of the ranking. The
 * retriever ranked it below every candidate it returned, so it deserves at most that; giving it the list's
 * mean instead (zero after z-scores) would reward a chunk for being absent over one the list ranked last. It is
 * an upper bound, which keeps a chunk that only one retriever found in contention when that retriever is sure
 * of it.
 *
 * <p>A ranking whose scores are all equal (one hit, or ties throughout) has no spread to scale by, and the
 * formulas would divide by zero. It can still say one thing, that its hits beat the chunks it missed, so its
 * hits score the top and the missing chunks the bottom of the normalised range: 1 and 0 for min-max, and +1
 * and -1 for z-scores, the values any list of two distinct scores standardises to. An empty ranking adds the
 * same to every chunk, nothing, and is skipped.
 *
 * <p>Ties keep the order of first appearance (the first ranking's order, then the chunks only later rankings
 * have), so the result is deterministic. The hit kept for a chunk is the one from the first ranking that has
 * it, with its highlights merged in from the others, as {@link ReciprocalRankFusion} does.
 */
public final class ScoreFusion implements ResultFuser {

    /** How one ranking's scores are put on the common scale. */
    public enum Normalisation {

        /**
         * {@code (score - mean) / stddev} over the ranking (population standard deviation): how many spreads a
         * chunk stands above the list's average. Uses every score of the list, so one outlying best hit does not
         * squash the others.
         */
        Z_SCORE,

        /**
         * {@code (score - min) / (max - min)} over the ranking: the best hit 1, the last 0. Depends on the two
         * extremes only, so an outlying best hit squashes every other score of its list towards 0.
         */
        MIN_MAX;

        /** The normalised scores of one ranking, by position, and what a chunk missing from it scores. */
        Scaled scale(List<ChunkHit> hits) {
            int n = hits.size();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (ChunkHit hit : hits) {
                min = Math.min(min, hit.score());
                max = Math.max(max, hit.score());
                sum += hit.score();
            }
            double[] scaled = new double[n];
            if (!(max > min)) {
                // No spread: the hits can only be told apart from the chunks the list missed (see the class).
                Arrays.fill(scaled, 1.0);
                return new Scaled(scaled, this == Z_SCORE ? -1.0 : 0.0);
            }
            return switch (this) {
                case Z_SCORE -> {
                    double mean = sum / n;
                    double squares = 0;
                    for (ChunkHit hit : hits) {
                        squares += (hit.score() - mean) * (hit.score() - mean);
                    }
                    double stddev = Math.sqrt(squares / n);
                    for (int i = 0; i < n; i++) {
                        scaled[i] = (hits.get(i).score() - mean) / stddev;
                    }
                    yield new Scaled(scaled, (min - mean) / stddev);
                }
                case MIN_MAX -> {
                    for (int i = 0; i < n; i++) {
                        scaled[i] = (hits.get(i).score() - min) / (max - min);
                    }
                    yield new Scaled(scaled, 0.0);
                }
            };
        }
    }

    /**
     * @param scores  the normalised score of each hit, in the ranking's order
     * @param missing what a chunk absent from the ranking scores for it
     */
    record Scaled(double[] scores, double missing) {
    }

    private final Normalisation normalisation;

    public ScoreFusion(Normalisation normalisation) {
        this.normalisation = Objects.requireNonNull(normalisation, "normalisation");
    }

    /** How this fusion scales each ranking. */
    public Normalisation normalisation() {
        return normalisation;
    }

    @Override
    public List<ChunkHit> fuse(List<Ranking> rankings, int limit) {
        Map<String, ChunkHit> hits = new LinkedHashMap<>();
        for (Ranking ranking : rankings) {
            for (ChunkHit hit : ranking.hits()) {
                hits.merge(hit.chunkId(), hit, FusedHits::withHighlightsOf);
            }
        }
        Map<String, Double> scores = new LinkedHashMap<>();
        hits.keySet().forEach(id -> scores.put(id, 0.0));
        for (Ranking ranking : rankings) {
            List<ChunkHit> list = ranking.hits();
            if (list.isEmpty()) {
                continue;
            }
            Scaled scaled = normalisation.scale(list);
            Set<String> present = new HashSet<>();
            for (int i = 0; i < list.size(); i++) {
                // A chunk listed twice counts once, at its better (first) place.
                if (present.add(list.get(i).chunkId())) {
                    scores.merge(list.get(i).chunkId(), ranking.weight() * scaled.scores()[i], Double::sum);
                }
            }
            for (String id : hits.keySet()) {
                if (!present.contains(id)) {
                    scores.merge(id, ranking.weight() * scaled.missing(), Double::sum);
                }
            }
        }
        return FusedHits.best(scores, hits, limit);
    }
}
