package io.kb.retrieval.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.kb.contracts.http.ProblemTypes;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.search.HybridSearch;
import io.kb.retrieval.search.QueryEmbedder;
import io.kb.retrieval.search.SearchProperties;
import io.kb.service.security.AuthenticatedCaller;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Hybrid search over the chunks the caller may read: tenant and principals come only from the validated token. */
@RestController
class SearchController {

    private final HybridSearch search;
    private final SearchProperties properties;

    SearchController(HybridSearch search, SearchProperties properties) {
        this.search = search;
        this.properties = properties;
    }

    @PostMapping("/api/v1/search")
    SearchResponse search(@Valid @RequestBody SearchRequestBody body, AuthenticatedCaller caller) {
        int topK = body.topK() == null ? 10 : body.topK();
        if (topK > properties.maxTopK()) {
            throw problem(HttpStatus.BAD_REQUEST, "topK: at most " + properties.maxTopK());
        }
        SearchRequestBody.SearchMode mode = body.mode() == null ? SearchRequestBody.SearchMode.HYBRID : body.mode();
        SearchRequestBody.Filters f = body.filters();
        SearchFilter filter = f == null ? SearchFilter.NONE : new SearchFilter(
                f.metadata() == null ? Map.of() : f.metadata(),
                f.documentIds() == null ? Set.of() : Set.copyOf(f.documentIds()));
        Caller who = Caller.of(caller.tenant(), caller.userId(), caller.groups());
        try {
            HybridSearch.Result r = search.search(who, new HybridSearch.Query(body.query(), topK, mode.toSearchMode(),
                    filter, Boolean.TRUE.equals(body.groupByDocument()), !Boolean.FALSE.equals(body.rerank())));
            List<SearchResponse.Hit> hits = r.hits().stream().map(SearchResponse.Hit::of).toList();
            return new SearchResponse(body.query(), mode.name().toLowerCase(Locale.ROOT), hits, r.degraded(),
                    r.reranked(), r.rerankReason(), r.timings());
        } catch (QueryEmbedder.QueryEmbeddingUnavailable e) {
            ErrorResponseException unavailable = problem(HttpStatus.SERVICE_UNAVAILABLE,
                    "dense retrieval is unavailable: " + e.getMessage());
            unavailable.getBody().setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
            throw unavailable;
        } catch (EmbeddingMismatchException e) {
            throw problem(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
