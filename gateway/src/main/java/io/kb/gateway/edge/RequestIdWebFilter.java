package io.kb.gateway.edge;

import io.kb.contracts.http.RequestIds;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Creates the request id at the edge, or accepts the caller's when it is well formed, and passes it on to
 * the services in {@code X-Request-Id}; a malformed one is replaced, so no caller can inject text into logs.
 * The id is returned in the response and kept as an exchange attribute for problem bodies and the access log.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdWebFilter implements WebFilter {

    /** Exchange attribute holding the request id. */
    public static final String ATTRIBUTE = RequestIdWebFilter.class.getName() + ".id";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String id = RequestIds.acceptOrCreate(exchange.getRequest().getHeaders().getFirst(RequestIds.HEADER));
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(h -> h.set(RequestIds.HEADER, id))
                .build();
        // Set at commit time, replacing the copy that the service echoes, so the caller sees the id once.
        exchange.getResponse().beforeCommit(() -> {
            exchange.getResponse().getHeaders().set(RequestIds.HEADER, id);
            return Mono.empty();
        });
        ServerWebExchange next = exchange.mutate().request(request).build();
        next.getAttributes().put(ATTRIBUTE, id);
        return chain.filter(next).contextWrite(ctx -> ctx.put(RequestIds.MDC_KEY, id));
    }
}
