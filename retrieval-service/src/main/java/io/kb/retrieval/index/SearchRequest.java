package io.kb.retrieval.index;

import java.util.Arrays;
import java.util.Objects;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.event.EmbeddingInfo;

/**
 * One search of a {@link ChunkIndex}: a dense query vector or a BM25 query text, how many hits, and
 * optional filters. The vector is copied on the way in and out.
 *
 * @param mode {@code DENSE} or {@code BM25}
 * @param queryVector the query embedding for {@code DENSE}, finite and not all zeros; {@code null} for {@code BM25}
 * @param queryText the query text for {@code BM25}, not blank; {@code null} for {@code DENSE}
 * @param k how many hits at most, 1 to {@value #MAX_K}
 * @param filter restrictions on metadata and documents; {@code null} means {@link SearchFilter#NONE}
 */
public record SearchRequest(SearchMode mode, float[] queryVector, String queryText, int k, SearchFilter filter) {

    /** The most hits one search returns. */
    public static final int MAX_K = 1000;

    /** The longest query text, in characters. */
    public static final int MAX_QUERY_TEXT_LENGTH = 4096;

    /** Checks that the query fits the mode and that {@code k} is in range. */
    public SearchRequest {
        FieldRules.requirePresent("mode", mode);
        if (k < 1 || k > MAX_K) {
            throw new ContractViolationException("k", "must be 1 to " + MAX_K + ", was " + k);
        }
        filter = filter == null ? SearchFilter.NONE : filter;
        switch (mode) {
            case DENSE -> {
                FieldRules.requirePresent("queryVector", queryVector);
                if (queryText != null) {
                    throw new ContractViolationException("queryText", "must be absent for a DENSE search");
                }
                queryVector = checkedCopy(queryVector);
            }
            case BM25 -> {
                FieldRules.requireNotBlank("queryText", queryText);
                FieldRules.optionalText("queryText", queryText, MAX_QUERY_TEXT_LENGTH);
                if (queryVector != null) {
                    throw new ContractViolationException("queryVector", "must be absent for a BM25 search");
                }
            }
        }
    }

    /**
     * @param queryVector the query embedding
     * @param k how many hits at most
     * @return a dense search without filters
     */
    public static SearchRequest dense(float[] queryVector, int k) {
        return new SearchRequest(SearchMode.DENSE, queryVector, null, k, SearchFilter.NONE);
    }

    /**
     * @param queryText the query text
     * @param k how many hits at most
     * @return a BM25 search without filters
     */
    public static SearchRequest bm25(String queryText, int k) {
        return new SearchRequest(SearchMode.BM25, null, queryText, k, SearchFilter.NONE);
    }

    /**
     * @param newFilter the filter to use instead
     * @return this request with another filter
     */
    public SearchRequest withFilter(SearchFilter newFilter) {
        return new SearchRequest(mode, queryVector, queryText, k, newFilter);
    }

    /** A copy of the query vector, or {@code null} for a BM25 search. */
    @Override
    public float[] queryVector() {
        return queryVector == null ? null : queryVector.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SearchRequest that
                && mode == that.mode
                && k == that.k
                && Arrays.equals(queryVector, that.queryVector)
                && Objects.equals(queryText, that.queryText)
                && filter.equals(that.filter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, Arrays.hashCode(queryVector), queryText, k, filter);
    }

    /** Shows the vector's length, not its numbers. */
    @Override
    public String toString() {
        String query = mode == SearchMode.DENSE ? "queryVector=float[" + queryVector.length + "]" : "queryText=" + queryText;
        return "SearchRequest[mode=" + mode + ", " + query + ", k=" + k + ", filter=" + filter + "]";
    }

    private static float[] checkedCopy(float[] vector) {
        if (vector.length == 0 || vector.length > EmbeddingInfo.MAX_DIMENSION) {
            throw new ContractViolationException("queryVector",
                    "must have 1 to " + EmbeddingInfo.MAX_DIMENSION + " numbers, had " + vector.length);
        }
        float[] copy = vector.clone();
        boolean allZero = true;
        for (int i = 0; i < copy.length; i++) {
            if (!Float.isFinite(copy[i])) {
                throw new ContractViolationException("queryVector[" + i + "]", "must be a finite 32-bit float");
            }
            allZero &= copy[i] == 0f;
        }
        if (allZero) {
            throw new ContractViolationException("queryVector", "must not be all zeros: it has no direction to compare");
        }
        return copy;
    }
}
