package io.kb.inference.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error of the OpenAI-compatible API, in OpenAI's shape, which OpenAI client libraries turn into their typed
 * exceptions. Every error under {@code /v1/} has it, in a response body or as a stream's error event.
 *
 * @param error what went wrong
 */
public record OpenAiError(Detail error) {

    /** The caller sent something wrong; {@code param} names the field. */
    public static final String INVALID_REQUEST = "invalid_request_error";

    /** The service failed to answer; trying again later may help. */
    public static final String SERVER_ERROR = "server_error";

    /**
     * @param message what went wrong
     * @param type    {@link #INVALID_REQUEST}, {@link #SERVER_ERROR} or another OpenAI error type
     * @param param   the request field at fault, or {@code null}
     * @param code    a stable code, or {@code null}
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(String message, String type, String param, String code) {
    }
}
