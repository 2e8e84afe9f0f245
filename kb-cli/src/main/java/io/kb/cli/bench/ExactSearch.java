package io.kb.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;

import org.apache.lucene.util.VectorUtil;

/**
 * The true top k of every query by brute force: the dot product of each query with every vector the caller may
 * read, which for unit vectors is the cosine the index ranks by. The corpus is never held: each worker makes its
 * own slice of the vectors again and keeps a bounded heap per query, and the heaps are merged at the end.
 */
final class ExactSearch {

    private static final int SLICE = 4096;

    private ExactSearch() {
    }

    /**
     * @param queries the query vectors
     * @param corpus how to make vector {@code i} of the corpus, into a scratch array of the queries' length
     * @param size how many vectors the corpus has, numbered from 0
     * @param readable which of them the caller may read; the others never appear in an answer
     * @param k how many neighbours per query
     * @return per query, the numbers of its k nearest readable vectors, nearest first (fewer when fewer are
     *         readable); ties go to the lower number
     */
    static long[][] topK(float[][] queries, VectorSource corpus, long size, LongPredicate readable, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be 1 or more, was " + k);
        }
        int slices = (int) ((size + SLICE - 1) / SLICE);
        int dimension = queries.length == 0 ? 0 : queries[0].length;
        List<List<PriorityQueue<Neighbour>>> partial = IntStream.range(0, slices).parallel()
                .mapToObj(s -> {
                    List<PriorityQueue<Neighbour>> heaps = heaps(queries.length, k);
                    float[] scratch = new float[dimension];
                    long end = Math.min(size, (long) (s + 1) * SLICE);
                    for (long i = (long) s * SLICE; i < end; i++) {
                        if (!readable.test(i)) {
                            continue;
                        }
                        float[] vector = corpus.vector(i, scratch);
                        for (int q = 0; q < queries.length; q++) {
                            offer(heaps.get(q), new Neighbour(i, VectorUtil.dotProduct(queries[q], vector)), k);
                        }
                    }
                    return heaps;
                })
                .toList();
        long[][] answers = new long[queries.length][];
        for (int q = 0; q < queries.length; q++) {
            PriorityQueue<Neighbour> merged = new PriorityQueue<>(k + 1, ExactSearch::worstFirst);
            for (List<PriorityQueue<Neighbour>> heaps : partial) {
                for (Neighbour neighbour : heaps.get(q)) {
                    offer(merged, neighbour, k);
                }
            }
            List<Neighbour> best = new ArrayList<>(merged);
            best.sort((a, b) -> worstFirst(b, a));
            answers[q] = best.stream().mapToLong(Neighbour::index).toArray();
        }
        return answers;
    }

    /** Vector {@code i} of a corpus, written into a scratch array or a new one. */
    @FunctionalInterface
    interface VectorSource {

        float[] vector(long index, float[] scratch);

        /** A corpus held in memory, for small cases. */
        static VectorSource of(LongFunction<float[]> vectors) {
            return (index, scratch) -> vectors.apply(index);
        }
    }

    private static List<PriorityQueue<Neighbour>> heaps(int queries, int k) {
        List<PriorityQueue<Neighbour>> heaps = new ArrayList<>(queries);
        for (int q = 0; q < queries; q++) {
            heaps.add(new PriorityQueue<>(k + 1, ExactSearch::worstFirst));
        }
        return heaps;
    }

    private static void offer(PriorityQueue<Neighbour> heap, Neighbour candidate, int k) {
        if (heap.size() < k) {
            heap.add(candidate);
        } else if (worstFirst(candidate, heap.peek()) > 0) {
            heap.poll();
            heap.add(candidate);
        }
    }

    /** Lower score first; among equal scores the higher number first, so that the lower number is kept. */
    private static int worstFirst(Neighbour a, Neighbour b) {
        int byScore = Float.compare(a.score(), b.score());
        return byScore != 0 ? byScore : Long.compare(b.index(), a.index());
    }

    private record Neighbour(long index, float score) {
    }
}
