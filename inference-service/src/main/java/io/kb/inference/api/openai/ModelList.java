package io.kb.inference.api.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /v1/models}: the models this API serves.
 *
 * @param object {@code list}
 * @param data   the models
 */
public record ModelList(String object, List<Model> data) {

    /**
     * One model.
     *
     * @param id      what a chat completion names as its {@code model}
     * @param object  {@code model}
     * @param created when the service started, in seconds since the epoch
     * @param ownedBy who serves it
     */
    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }
}
