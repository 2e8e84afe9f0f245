package io.kb.embedding.api;

import io.kb.contracts.http.ProblemTypes;
import io.kb.embedding.batch.OverloadedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A full model queue as HTTP: 503, {@code Retry-After}, problem type {@code urn:kb:problem:overloaded}. */
class ServiceOverloadedException extends ErrorResponseException {

    ServiceOverloadedException(OverloadedException cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, problem(cause), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(cause.retryAfter().toSeconds()));
    }

    private static ProblemDetail problem(OverloadedException cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, cause.getMessage());
        problem.setType(ProblemTypes.OVERLOADED);
        problem.setTitle("Overloaded");
        return problem;
    }
}
