package io.kb.gateway.route;

import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.kb.contracts.http.ProblemTypes;
import io.kb.gateway.edge.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * Where a circuit breaker sends a failed call: an open breaker is a 503 with {@code Retry-After} (the breaker's
 * wait), a call that ran past the breaker's time limit a 504, any other failure to reach or hear from the service
 * a 502; all are problems of type {@code upstream-unavailable} that name the service, never a stack trace. Only
 * the breakers forward here; a request from outside finds nothing.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamFallback {

    /** The fallback's path, followed by the upstream's name. */
    static final String PATH = "/fallback/upstream/";

    private static final Logger log = LoggerFactory.getLogger(UpstreamFallback.class);

    @Bean
    RouterFunction<ServerResponse> upstreamFallbackRoute(ResilienceProperties resilience) {
        long retryAfter = RetryAfter.seconds(resilience.circuitBreaker().waitInOpenState());
        return RouterFunctions.route()
                .route(request -> request.path().startsWith(PATH), request -> fallback(request, retryAfter))
                .build();
    }

    private static Mono<ServerResponse> fallback(ServerRequest request, long retryAfter) {
        Throwable failure = request.exchange()
                .getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        if (failure == null) {
            return Mono.error(new ErrorResponseException(HttpStatus.NOT_FOUND));
        }
        String upstream = request.path().substring(PATH.length());
        ErrorResponseException problem;
        if (failure instanceof CallNotPermittedException) {
            problem = problem(HttpStatus.SERVICE_UNAVAILABLE, upstream,
                    "The " + upstream + " service failed repeatedly and is given time to recover; try again in "
                            + retryAfter + " s.");
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        } else if (failure instanceof TimeoutException) {
            problem = problem(HttpStatus.GATEWAY_TIMEOUT, upstream,
                    "The " + upstream + " service did not finish in time.");
        } else {
            problem = problem(HttpStatus.BAD_GATEWAY, upstream,
                    "The " + upstream + " service cannot be reached right now; try again shortly.");
        }
        log.warn("{} unavailable ({}): {}", upstream, problem.getStatusCode().value(), failure.toString());
        return Mono.error(problem);
    }

    private static ErrorResponseException problem(HttpStatus status, String upstream, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
        body.setTitle("Upstream unavailable");
        body.setProperty("upstream", upstream);
        return new ErrorResponseException(status, body, null);
    }
}
