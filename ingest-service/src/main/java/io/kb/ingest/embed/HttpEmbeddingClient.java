package io.kb.ingest.embed;

import java.util.ArrayList;
import java.util.List;

import io.kb.contracts.api.EmbeddingBatchRequest;
import io.kb.contracts.api.EmbeddingBatchResponse;
import io.kb.contracts.event.IngestStages;
import io.kb.service.kafka.ProcessingFailure;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * embedding-service's internal batch endpoint. Texts go in requests of the configured batch size; the service
 * batches further across callers. A 5xx, 429 or an unreachable service is retryable; a 4xx is not.
 */
public final class HttpEmbeddingClient implements EmbeddingClient {

    static final String PATH = "/internal/v1/embeddings:batch";

    private final RestClient rest;
    private final int batchSize;

    public HttpEmbeddingClient(RestClient.Builder builder, EmbeddingClientProperties properties) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory();
        requests.setReadTimeout(properties.timeout());
        this.rest = builder.baseUrl(properties.url().toString()).requestFactory(requests).build();
        this.batchSize = properties.batchSize();
    }

    @Override
    public Embeddings embed(String knowledgeBase, List<String> texts) {
        String model = null;
        int dimension = 0;
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + batchSize));
            EmbeddingBatchResponse r = call(EmbeddingBatchRequest.forKnowledgeBase(knowledgeBase, part));
            if (r == null || r.vectors() == null || r.vectors().size() != part.size()) {
                throw ProcessingFailure.permanent(IngestStages.EMBED, "embedding-service answered "
                        + (r == null || r.vectors() == null ? "no vectors" : r.vectors().size() + " vectors")
                        + " for " + part.size() + " texts");
            }
            if (model != null && (!model.equals(r.model()) || dimension != r.dimension())) {
                // The knowledge base's model changed in the middle of a document: try the document again.
                throw ProcessingFailure.transientFailure(IngestStages.EMBED, "the embedding model changed from " + model
                        + " to " + r.model() + " while embedding one document", null);
            }
            model = r.model();
            dimension = r.dimension();
            vectors.addAll(r.vectors());
        }
        return new Embeddings(model, dimension, vectors);
    }

    private EmbeddingBatchResponse call(EmbeddingBatchRequest request) {
        try {
            return rest.post().uri(PATH).contentType(MediaType.APPLICATION_JSON).body(request)
                    .retrieve().body(EmbeddingBatchResponse.class);
        } catch (HttpClientErrorException e) {
            if (e.getStatusCode().value() == 429) {
                throw ProcessingFailure.transientFailure(IngestStages.EMBED, "embedding-service is busy (429)", e);
            }
            throw ProcessingFailure.permanent(IngestStages.EMBED, "embedding-service refused the texts ("
                    + e.getStatusCode().value() + "): " + e.getResponseBodyAsString());
        } catch (HttpServerErrorException e) {
            throw ProcessingFailure.transientFailure(IngestStages.EMBED, "embedding-service failed ("
                    + e.getStatusCode().value() + ")", e);
        } catch (ResourceAccessException e) {
            throw ProcessingFailure.transientFailure(IngestStages.EMBED, "embedding-service unreachable: "
                    + e.getMostSpecificCause().getMessage(), e);
        }
    }
}
