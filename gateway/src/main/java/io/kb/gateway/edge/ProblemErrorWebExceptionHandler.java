package io.kb.gateway.edge;

import java.net.URI;

import io.kb.service.StatusProblemTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error that reaches the edge (no route, upstream down, a filter's rejection) leaves as an RFC 9457
 * problem with a stable type and the request id, never as a stack trace or Boot's default error map; under
 * {@code /v1/}, the OpenAI-compatible API, it leaves in OpenAI's error shape instead ({@link OpenAiErrorBody}).
 */
@Component
@Order(-2) // before Boot's DefaultErrorWebExceptionHandler (-1)
public class ProblemErrorWebExceptionHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorWebExceptionHandler.class);

    private static final URI ABOUT_BLANK = URI.create("about:blank");

    private final JsonMapper json;

    public ProblemErrorWebExceptionHandler(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        ProblemDetail problem = toProblem(error);
        Object id = exchange.getAttribute(RequestIdWebFilter.ATTRIBUTE);
        if (id != null) {
            problem.setProperty("requestId", id);
        }
        String path = exchange.getRequest().getPath().value();
        problem.setInstance(exchange.getRequest().getURI().resolve(path));
        // OpenAI clients read only OpenAI's error shape; the request id is still in the X-Request-Id header.
        boolean openAi = OpenAiErrorBody.applies(path);
        byte[] body = json.writeValueAsBytes(openAi ? OpenAiErrorBody.of(problem) : problem);
        response.setStatusCode(HttpStatusCode.valueOf(problem.getStatus()));
        if (error instanceof ErrorResponse known) {
            // The headers that go with the status: WWW-Authenticate on a 401, Allow on a 405, Accept on a 415.
            response.getHeaders().putAll(known.getHeaders());
        }
        response.getHeaders().setContentType(openAi ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    private static ProblemDetail toProblem(Throwable error) {
        ProblemDetail problem;
        if (isUnreachableUpstream(error)) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                    "The service behind this route cannot be reached right now; try again shortly.");
            problem.setTitle("Upstream unavailable");
            log.warn("upstream unreachable: {}", error.toString());
        } else if (error instanceof ErrorResponse known) {
            ProblemDetail source = known.getBody();
            problem = ProblemDetail.forStatus(known.getStatusCode());
            problem.setTitle(source.getTitle());
            problem.setDetail(source.getDetail());
            // A type and properties chosen where the error was raised (a fallback's upstream-unavailable) stay.
            problem.setType(source.getType());
            if (source.getProperties() != null) {
                source.getProperties().forEach(problem::setProperty);
            }
        } else {
            log.error("unhandled error at the edge", error);
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                    "The gateway failed to handle the request; quote the request id when reporting it.");
            problem.setTitle("Internal error");
        }
        if (problem.getType() == null || ABOUT_BLANK.equals(problem.getType())) {
            problem.setType(StatusProblemTypes.forStatus(problem.getStatus()));
        }
        return problem;
    }

    /** A refused or timed-out connection to a service, anywhere in the cause chain. */
    private static boolean isUnreachableUpstream(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof io.netty.channel.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
