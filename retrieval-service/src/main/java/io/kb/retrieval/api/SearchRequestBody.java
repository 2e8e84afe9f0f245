package io.kb.retrieval.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.kb.retrieval.search.HybridSearch;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/search}. Who asks is not part of the body: tenant and principals come from the token.
 *
 * @param query           what to look for, in any language
 * @param topK            how many hits (default 10)
 * @param mode            {@code hybrid} (default), {@code dense} or {@code bm25}
 * @param filters         optional metadata equality filters and document ids
 * @param groupByDocument keep only the best chunk of each document
 * @param rerank          {@code false} skips the reranking stage for this request; absent or {@code true} reranks
 *                        when the service has a reranker, and is ignored when it has none
 */
public record SearchRequestBody(
        @NotBlank @Size(max = 2000) String query,
        @Min(1) @Max(1000) Integer topK,
        SearchMode mode,
        Filters filters,
        Boolean groupByDocument,
        Boolean rerank) {

    /**
     * @param metadata    chunk metadata that must match exactly
     * @param documentIds only these documents
     */
    public record Filters(@Size(max = 32) Map<String, String> metadata, @Size(max = 1000) List<String> documentIds) {
    }

    /** The retrieval mode, written in lower case on the wire. */
    public enum SearchMode {
        HYBRID, DENSE, BM25;

        @JsonCreator
        static SearchMode of(String value) {
            return SearchMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }

        HybridSearch.Mode toSearchMode() {
            return HybridSearch.Mode.valueOf(name());
        }
    }
}
