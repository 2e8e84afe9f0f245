package io.kb.embedding.api;

import io.kb.embedding.model.EmbeddingModel;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /internal/v1/embeddings:batch}: vectors for ingest-service, by model or by knowledge base. */
@RestController
class InternalBatchController {

    private final TextEmbedder embedder;

    InternalBatchController(TextEmbedder embedder) {
        this.embedder = embedder;
    }

    @PostMapping("/internal/v1/embeddings:batch")
    BatchEmbeddingResponse embed(@RequestBody BatchEmbeddingRequest request) {
        EmbeddingModel model = request.model() != null && !request.model().isBlank()
                ? embedder.model(request.model(), "model")
                : embedder.modelForKnowledgeBase(request.knowledgeBase());
        TextEmbedder.Embedded embedded = embedder.embed(model, request.texts(), "texts");
        return new BatchEmbeddingResponse(model.name(), model.dimension(), embedded.vectors(), embedded.tokens());
    }
}
