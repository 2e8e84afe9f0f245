package io.kb.gateway.limit;

import java.time.Duration;

import io.kb.gateway.edge.RetryAfter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

/**
 * The refusals of the edge's limits, as exceptions that the edge's problem handler renders as RFC 9457 problems
 * with the request id and copies the headers of ({@code Retry-After}, the rate-limit headers). The problem types
 * follow from the status: 413 payload-too-large, 429 rate-limited, 503 overloaded.
 */
final class LimitProblems {

    private LimitProblems() {
    }

    /**
     * The caller's or the tenant's bucket is empty.
     *
     * @param scope      {@code user} or {@code tenant}: whose limit it is, which tells the caller whether waiting
     *                   alone helps
     * @param retryAfter when the next request will be let in
     * @param headers    the rate-limit headers of the refused request
     */
    static ErrorResponseException rateLimited(String scope, Duration retryAfter, HttpHeaders headers) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Too many requests for this " + scope + "; try again in " + RetryAfter.seconds(retryAfter) + " s.");
        problem.setTitle("Rate limited");
        problem.setProperty("limit", scope);
        ErrorResponseException exception = new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
        exception.getHeaders().putAll(headers);
        exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(RetryAfter.seconds(retryAfter)));
        return exception;
    }

    /**
     * The request body is larger than the route allows.
     *
     * @param limit the route's limit
     */
    static ErrorResponseException bodyTooLarge(DataSize limit) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
                "The request body is larger than the " + limit.toBytes() + " bytes this API accepts.");
        problem.setTitle("Payload too large");
        problem.setProperty("maxBytes", limit.toBytes());
        return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, problem, null);
    }

    /**
     * The gateway has as many requests in flight as it may; this one is shed, not queued.
     *
     * @param retryAfter what the caller is told to wait
     */
    static ErrorResponseException overloaded(Duration retryAfter) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The platform is handling as many requests as it can; try again in " + RetryAfter.seconds(retryAfter) + " s.");
        problem.setTitle("Overloaded");
        ErrorResponseException exception = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(RetryAfter.seconds(retryAfter)));
        return exception;
    }
}
