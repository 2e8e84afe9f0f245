package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExactSearchTest {

    /** Five unit vectors in the plane, at 0, 30, 60, 90 and 180 degrees. */
    private static final float[][] CORPUS = {
            {1, 0}, {0.8660254f, 0.5f}, {0.5f, 0.8660254f}, {0, 1}, {-1, 0}};

    private static final ExactSearch.VectorSource SOURCE = ExactSearch.VectorSource.of(i -> CORPUS[(int) i]);

    @Test
    void findsTheNearestVectorsNearestFirst() {
        float[][] queries = {{1, 0}, {0, 1}, {-1, 0}};

        long[][] top = ExactSearch.topK(queries, SOURCE, CORPUS.length, i -> true, 2);

        assertThat(top[0]).containsExactly(0, 1);
        assertThat(top[1]).containsExactly(3, 2);
        // 180 degrees is the nearest to (-1, 0); then 90 degrees (cosine 0) before 60 (cosine -0.5).
        assertThat(top[2]).containsExactly(4, 3);
    }

    @Test
    void leavesOutWhatTheCallerMayNotRead() {
        float[][] queries = {{1, 0}};

        long[][] top = ExactSearch.topK(queries, SOURCE, CORPUS.length, i -> i % 2 == 0, 3);

        assertThat(top[0]).containsExactly(0, 2, 4);
    }

    @Test
    void returnsFewerWhenFewerAreReadableAndBreaksTiesByNumber() {
        float[][] corpus = {{0, 1}, {0, 1}, {0, 1}};
        long[][] top = ExactSearch.topK(new float[][] {{0, 1}}, ExactSearch.VectorSource.of(i -> corpus[(int) i]), 3,
                i -> i != 0, 5);

        assertThat(top[0]).containsExactly(1, 2);
    }

    @Test
    void agreesWithAFullSortOnAGeneratedCorpusAcrossSlices() {
        SyntheticVectors vectors = new SyntheticVectors(3, 16);
        int size = 10_000;
        float[][] queries = {vectors.vector(size), vectors.vector(size + 1)};

        long[][] top = ExactSearch.topK(queries, vectors::vector, size, IndexBenchmark::readable, 5);

        for (int q = 0; q < queries.length; q++) {
            float[] query = queries[q];
            long[] sorted = java.util.stream.LongStream.range(0, size).filter(IndexBenchmark::readable).boxed()
                    .sorted((a, b) -> Float.compare(dot(query, vectors.vector(b)), dot(query, vectors.vector(a))))
                    .limit(5).mapToLong(Long::longValue).toArray();
            assertThat(top[q]).containsExactly(sorted);
        }
    }

    private static float dot(float[] a, float[] b) {
        return org.apache.lucene.util.VectorUtil.dotProduct(a, b);
    }
}
