package io.kb.inference.api.openai;

import org.springframework.http.HttpStatus;

/**
 * A failure of an OpenAI-compatible call, with everything its error body says. {@link OpenAiErrorResolver} renders
 * it as {@code {"error": {"message", "type", "param", "code"}}} with the status.
 */
public class OpenAiApiException extends RuntimeException {

    private final HttpStatus status;
    private final String type;
    private final String code;
    private final String param;

    /**
     * @param status  the HTTP status
     * @param type    the error's type, such as {@code invalid_request_error} or {@code server_error}
     * @param code    a stable code, such as {@code model_not_found}, or {@code null}
     * @param param   the request field at fault, such as {@code messages[2].content}, or {@code null}
     * @param message what went wrong, for the caller
     * @param cause   the failure behind it, or {@code null}
     */
    public OpenAiApiException(HttpStatus status, String type, String code, String param, String message,
            Throwable cause) {
        super(message, cause);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    /** A bad request: {@code 400 invalid_request_error}. */
    static OpenAiApiException invalid(String param, String message) {
        return new OpenAiApiException(HttpStatus.BAD_REQUEST, OpenAiError.INVALID_REQUEST, "invalid_value", param,
                message, null);
    }

    /** A model the API does not serve: {@code 404 model_not_found}, as OpenAI answers it. */
    static OpenAiApiException modelNotFound(String model) {
        return new OpenAiApiException(HttpStatus.NOT_FOUND, OpenAiError.INVALID_REQUEST, "model_not_found", "model",
                "The model '" + model + "' does not exist; GET /v1/models lists the models of this API.", null);
    }

    public HttpStatus status() {
        return status;
    }

    /** The body as it goes on the wire. */
    public OpenAiError body() {
        return new OpenAiError(new OpenAiError.Detail(getMessage(), type, param, code));
    }
}
