package io.kb.gateway.limit;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Enforces {@link RequestBodyProperties}: a declared {@code Content-Length} over the route's limit is refused
 * before anything is read or sent on; a body without one is counted as it streams through and cut off with a 413
 * problem at the first byte past the limit, so the service never receives a complete oversized request.
 */
class RequestBodyLimitFilter implements GlobalFilter, Ordered {

    /** Right after the identity headers are stripped: the cheapest refusal comes first. */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final RequestBodyProperties properties;

    RequestBodyLimitFilter(RequestBodyProperties properties) {
        this.properties = properties;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        DataSize limit = properties.limitOf(route == null ? "" : route.getId());
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit.toBytes()) {
            return Mono.error(LimitProblems.bodyTooLarge(limit));
        }
        if (declared >= 0) {
            // The server reads exactly Content-Length bytes, so the declared length is the body's length.
            return chain.filter(exchange);
        }
        ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                AtomicLong read = new AtomicLong();
                return super.getBody().handle((buffer, sink) -> {
                    if (read.addAndGet(buffer.readableByteCount()) > limit.toBytes()) {
                        DataBufferUtils.release(buffer);
                        sink.error(LimitProblems.bodyTooLarge(limit));
                    } else {
                        sink.next(buffer);
                    }
                });
            }
        };
        return chain.filter(exchange.mutate().request(counted).build());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
