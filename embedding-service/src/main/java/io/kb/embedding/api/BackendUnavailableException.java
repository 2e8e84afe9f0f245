package io.kb.embedding.api;

import java.time.Duration;

import io.kb.contracts.http.ProblemTypes;
import io.kb.embedding.model.ModelUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A model server that cannot answer now (down, out of capacity, too slow) as HTTP: 503 with
 * {@code Retry-After} and problem type {@code urn:kb:problem:upstream-unavailable}, so that callers retry
 * as they do after load shedding, but can tell the two apart.
 */
class BackendUnavailableException extends ErrorResponseException {

    BackendUnavailableException(ModelUnavailableException cause, Duration retryAfter) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(cause), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }

    private static ProblemDetail problem(ModelUnavailableException cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, cause.getMessage());
        problem.setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
        problem.setTitle("Model server unavailable");
        return problem;
    }
}
