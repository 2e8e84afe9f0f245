package io.kb.gateway.limit;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Enforces {@link ConcurrencyLimitProperties}: a request on an API route takes a place, or is shed with a 503
 * problem when none is left, and gives its place back when its response is complete, fails or is cancelled. The
 * number in flight is the gauge {@code kb.gateway.requests.in.flight}.
 */
class ConcurrencyLimitFilter implements GlobalFilter, Ordered {

    static final int ORDER = RequestBodyLimitFilter.ORDER + 10;

    private final ConcurrencyLimitProperties properties;
    private final AtomicInteger inFlight = new AtomicInteger();

    ConcurrencyLimitFilter(ConcurrencyLimitProperties properties, MeterRegistry meters) {
        this.properties = properties;
        Gauge.builder("kb.gateway.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Requests in flight through the gateway's API routes")
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return Mono.defer(() -> {
            if (inFlight.incrementAndGet() > properties.maxInFlight()) {
                inFlight.decrementAndGet();
                return Mono.error(LimitProblems.overloaded(properties.retryAfter()));
            }
            AtomicBoolean released = new AtomicBoolean();
            return chain.filter(exchange).doFinally(signal -> {
                if (released.compareAndSet(false, true)) {
                    inFlight.decrementAndGet();
                }
            });
        });
    }

    /** The requests in flight now. */
    int inFlight() {
        return inFlight.get();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
