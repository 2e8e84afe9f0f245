package io.kb.inference.retrieve;

import io.kb.contracts.http.RequestIds;
import io.kb.inference.pipeline.Asker;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/** Retrieves through retrieval-service's {@code POST /api/v1/search}, in hybrid mode, with the asker's token. */
public final class RetrievalServiceChunkRetriever implements ChunkRetriever, IndexVersionSource {

    private final RestClient rest;

    public RetrievalServiceChunkRetriever(RestClient.Builder builder, URI baseUrl, Duration timeout) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(timeout);
        this.rest = builder.baseUrl(baseUrl.toString()).requestFactory(requests).build();
    }

    record SearchBody(String query, int topK, String mode) {
    }

    record SearchHit(String documentId, String title, String chunkId, String text, List<String> headingPath,
            Integer page, int startOffset, int endOffset, double score) {
    }

    record SearchResult(List<SearchHit> hits, String degraded, Map<String, Double> timings) {
    }

    record VersionResult(String tenant, String version) {
    }

    @Override
    public Retrieval retrieve(String query, Asker asker, int topK) {
        try {
            SearchResult r = rest.post().uri("/api/v1/search")
                    .headers(h -> identify(h, asker))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new SearchBody(query, topK, "hybrid"))
                    .retrieve().body(SearchResult.class);
            if (r == null || r.hits() == null) {
                throw new RetrievalUnavailableException("retrieval-service answered without hits", null);
            }
            List<RetrievedChunk> chunks = r.hits().stream().map(h -> new RetrievedChunk(h.documentId(), h.title(),
                    h.chunkId(), h.text(), h.headingPath(), h.page(), h.startOffset(), h.endOffset(), h.score()))
                    .toList();
            return new Retrieval(chunks, r.degraded());
        } catch (RestClientResponseException e) {
            throw new RetrievalUnavailableException("retrieval-service answered " + e.getStatusCode().value(), e);
        } catch (RestClientException e) {
            throw new RetrievalUnavailableException("retrieval-service: " + e.getMostSpecificCause().getMessage(), e);
        }
    }

    @Override
    public String currentVersion(Asker asker) {
        try {
            VersionResult r = rest.get().uri("/api/v1/index/version").headers(h -> identify(h, asker))
                    .retrieve().body(VersionResult.class);
            if (r == null || r.version() == null) {
                throw new RetrievalUnavailableException("retrieval-service answered without a version", null);
            }
            return r.version();
        } catch (RestClientException e) {
            throw new RetrievalUnavailableException("retrieval-service: " + e.getMostSpecificCause().getMessage(), e);
        }
    }

    private static void identify(HttpHeaders headers, Asker asker) {
        headers.setBearerAuth(asker.token());
        String requestId = MDC.get(RequestIds.MDC_KEY);
        if (requestId != null) {
            headers.set(RequestIds.HEADER, requestId);
        }
    }
}
