package io.kb.embedding.api;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import io.kb.embedding.model.EmbeddingModel;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /v1/embeddings}: the OpenAI embeddings API, so that OpenAI clients and tools work unchanged. */
@RestController
class OpenAiEmbeddingsController {

    private final TextEmbedder embedder;

    OpenAiEmbeddingsController(TextEmbedder embedder) {
        this.embedder = embedder;
    }

    @PostMapping("/v1/embeddings")
    EmbeddingsResponse embed(@Valid @RequestBody EmbeddingsRequest request) {
        EmbeddingModel model = embedder.model(request.model(), "model");
        if (request.dimensions() != null && request.dimensions() != model.dimension()) {
            throw new ContractViolationException("dimensions", "model " + model.name() + " makes "
                    + model.dimension() + "-dimensional vectors only, not " + request.dimensions());
        }
        TextEmbedder.Embedded embedded = embedder.embed(model, request.input(), "input");
        boolean base64 = "base64".equals(request.encodingFormat());
        List<EmbeddingsResponse.Item> data = new ArrayList<>(embedded.vectors().size());
        for (int i = 0; i < embedded.vectors().size(); i++) {
            float[] vector = embedded.vectors().get(i);
            data.add(new EmbeddingsResponse.Item("embedding", i, base64 ? base64(vector) : vector));
        }
        int tokens = embedded.totalTokens();
        return new EmbeddingsResponse("list", data, model.name(), new EmbeddingsResponse.Usage(tokens, tokens));
    }

    /** Little-endian float32, as OpenAI encodes it. */
    static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
