package io.kb.inference.api;

import io.kb.contracts.http.ProblemTypes;
import io.kb.inference.degrade.AnswerInterruptedException;
import io.kb.inference.degrade.NoTierAvailableException;
import io.kb.inference.retrieve.RetrievalUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * The problems a failed answer becomes, for the whole answer (as an HTTP response) and for a stream (as its
 * {@code error} event): retrieval or every generator unavailable is a 503, an answer cut off midway a 502.
 *
 * <p>The controller throws {@link #handle(RuntimeException)}'s exception itself rather than leaving it to an
 * exception handler here: service-kit's problem handler has the highest precedence and takes every exception, so
 * an advice of this service would never be asked; an {@link ErrorResponseException} it renders as it is.
 */
@Component
class AnswerProblems {

    private static final Logger log = LoggerFactory.getLogger(AnswerProblems.class);

    ProblemDetail of(RuntimeException e) {
        if (e instanceof RetrievalUnavailableException) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "retrieval is unavailable: " + e.getMessage());
        }
        if (e instanceof NoTierAvailableException) {
            return problem(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
        if (e instanceof AnswerInterruptedException) {
            return problem(HttpStatus.BAD_GATEWAY, e.getMessage());
        }
        if (e instanceof ErrorResponseException r) {
            return r.getBody();
        }
        log.error("answer failed", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "the answer failed");
        p.setType(ProblemTypes.INTERNAL);
        return p;
    }

    /** The failure as the response exception with its problem. */
    ErrorResponseException handle(RuntimeException e) {
        ProblemDetail p = of(e);
        return new ErrorResponseException(HttpStatus.valueOf(p.getStatus()), p, e);
    }

    private static ProblemDetail problem(HttpStatus status, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
        return p;
    }
}
