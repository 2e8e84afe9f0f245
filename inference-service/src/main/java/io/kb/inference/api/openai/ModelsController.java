package io.kb.inference.api.openai;

import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one model of the OpenAI-compatible API, which stands
 * for the knowledge base's whole pipeline whatever generator tier answers.
 */
@RestController
class ModelsController {

    private final ModelList.Model model;

    ModelsController(OpenAiApiProperties properties) {
        this.model = new ModelList.Model(properties.model(), "model", Instant.now().getEpochSecond(),
                properties.ownedBy());
    }

    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelList models() {
        return new ModelList("list", List.of(model));
    }

    @GetMapping(path = "/v1/models/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ModelList.Model model(@PathVariable String id) {
        if (!model.id().equals(id)) {
            throw OpenAiApiException.modelNotFound(id);
        }
        return model;
    }
}
