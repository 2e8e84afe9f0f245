package io.kb.embedding.api;

import io.kb.contracts.http.ProblemTypes;
import io.kb.embedding.model.ModelRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A model server that refused or failed the request in a way a retry will not fix (an unknown model,
 * tensors that do not match it) as HTTP: 502 without {@code Retry-After}, problem type
 * {@code urn:kb:problem:upstream-unavailable}. The detail names the model and the server's reason, which
 * is about this service's configuration, never about the caller's texts.
 */
class BackendRejectedException extends ErrorResponseException {

    BackendRejectedException(ModelRejectedException cause) {
        super(HttpStatus.BAD_GATEWAY, problem(cause), cause);
    }

    private static ProblemDetail problem(ModelRejectedException cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY, cause.getMessage());
        problem.setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
        problem.setTitle("Model server refused the request");
        return problem;
    }
}
