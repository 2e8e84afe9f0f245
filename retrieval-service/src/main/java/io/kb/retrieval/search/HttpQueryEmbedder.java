package io.kb.retrieval.search;

import java.util.List;

import io.kb.contracts.api.EmbeddingBatchRequest;
import io.kb.contracts.api.EmbeddingBatchResponse;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** Embeds queries through embedding-service's internal batch endpoint (which micro-batches them across callers). */
public final class HttpQueryEmbedder implements QueryEmbedder {

    private final RestClient rest;

    public HttpQueryEmbedder(RestClient.Builder builder, SearchProperties properties) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(properties.embeddingTimeout());
        this.rest = builder.baseUrl(properties.embeddingUrl().toString()).requestFactory(requests).build();
    }

    @Override
    public QueryVector embed(String knowledgeBase, String query) {
        try {
            EmbeddingBatchResponse r = rest.post().uri("/internal/v1/embeddings:batch")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(EmbeddingBatchRequest.forKnowledgeBase(knowledgeBase, List.of(query)))
                    .retrieve().body(EmbeddingBatchResponse.class);
            if (r == null || r.vectors() == null || r.vectors().size() != 1) {
                throw new QueryEmbeddingUnavailable("embedding-service answered without a vector", null);
            }
            return new QueryVector(r.model(), r.vectors().getFirst());
        } catch (RestClientException e) {
            throw new QueryEmbeddingUnavailable("embedding-service: " + e.getMostSpecificCause().getMessage(), e);
        }
    }
}
