package io.kb.cli.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The usual ranking metrics of a retrieval test set, as pytrec_eval and BEIR compute them, over documents:
 * <ul>
 *   <li>nDCG@k: the gain of a document is its qrels score (graded, 0 when unjudged or judged not relevant),
 *       discounted by {@code log2(rank + 1)}, rank from 1; divided by the same sum over the best possible
 *       order of the query's judged documents (the ideal DCG, from the qrels alone).</li>
 *   <li>Recall@k: the share of the query's relevant documents (score above 0) that are in the top k.</li>
 * </ul>
 * The platform ranks chunks; a document counts once, at the rank of its best chunk, so a ranking is reduced to
 * the first occurrence of each document before it is scored. A query without any relevant document cannot be
 * scored and is refused: the caller leaves such queries out of the averages.
 */
final class RetrievalMetrics {

    /** The scores of one query. */
    record QueryScores(double ndcgAt10, double recallAt10, double recallAt100) {
    }

    /** Means over the scored queries. */
    record Summary(int queries, double ndcgAt10, double recallAt10, double recallAt100) {
    }

    private RetrievalMetrics() {
    }

    /**
     * @param ranking document ids of a query's hits, best first, one per chunk hit (repeats allowed)
     * @param judgments the query's qrels: score by document id
     * @return nDCG@10, Recall@10 and Recall@100
     * @throws IllegalArgumentException when no judged document is relevant
     */
    static QueryScores score(List<String> ranking, Map<String, Integer> judgments) {
        List<String> documents = byBestChunk(ranking);
        return new QueryScores(ndcg(documents, judgments, 10), recall(documents, judgments, 10),
                recall(documents, judgments, 100));
    }

    /** The mean of each metric over the queries' scores. */
    static Summary summarize(List<QueryScores> scores) {
        if (scores.isEmpty()) {
            return new Summary(0, 0, 0, 0);
        }
        double ndcg = 0;
        double recall10 = 0;
        double recall100 = 0;
        for (QueryScores s : scores) {
            ndcg += s.ndcgAt10();
            recall10 += s.recallAt10();
            recall100 += s.recallAt100();
        }
        int n = scores.size();
        return new Summary(n, ndcg / n, recall10 / n, recall100 / n);
    }

    /** Each document once, at the position of its first (best) chunk. */
    static List<String> byBestChunk(List<String> ranking) {
        Set<String> seen = new HashSet<>();
        List<String> documents = new ArrayList<>();
        for (String id : ranking) {
            if (seen.add(id)) {
                documents.add(id);
            }
        }
        return documents;
    }

    /**
     * @param documents distinct document ids, best first
     * @param judgments score by document id
     * @param k the cut-off
     * @return DCG of the top k over the ideal DCG of the judgments' top k
     */
    static double ndcg(List<String> documents, Map<String, Integer> judgments, int k) {
        double ideal = 0;
        int[] gains = judgments.values().stream().mapToInt(Integer::intValue).filter(g -> g > 0).toArray();
        if (gains.length == 0) {
            throw new IllegalArgumentException("the query has no relevant document: nDCG is undefined");
        }
        Arrays.sort(gains);
        for (int rank = 1; rank <= Math.min(k, gains.length); rank++) {
            ideal += gains[gains.length - rank] / log2(rank + 1);
        }
        double dcg = 0;
        for (int rank = 1; rank <= Math.min(k, documents.size()); rank++) {
            int gain = judgments.getOrDefault(documents.get(rank - 1), 0);
            if (gain > 0) {
                dcg += gain / log2(rank + 1);
            }
        }
        return dcg / ideal;
    }

    /**
     * @param documents distinct document ids, best first
     * @param judgments score by document id
     * @param k the cut-off
     * @return the share of relevant documents within the top k
     */
    static double recall(List<String> documents, Map<String, Integer> judgments, int k) {
        long relevant = judgments.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) {
            throw new IllegalArgumentException("the query has no relevant document: recall is undefined");
        }
        long found = documents.subList(0, Math.min(k, documents.size())).stream()
                .filter(id -> judgments.getOrDefault(id, 0) > 0).count();
        return (double) found / relevant;
    }

    /**
     * The nearest-rank percentile: the smallest sample that at least {@code p} percent of the samples do not
     * exceed.
     *
     * @param samples any order; not changed
     * @param p 0 (exclusive) to 100
     */
    static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return 0;
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100, was " + p);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
