package io.kb.gateway.route;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * The longest an upstream call may take, the whole streamed response included; past it the call fails with a
 * {@link TimeoutException}, which the circuit breaker around this filter counts as a failure and which
 * {@link UpstreamFallback} answers with a 504.
 *
 * <p>Resilience4j's time limiter did the same through {@code Mono.timeout}, whose timer lives on Reactor's
 * parallel scheduler: every call queued a task there and woke its thread, and every answer cancelled it again from
 * the event loop, a cross-thread hand-off per request for a limit that is almost never reached. This timer is a
 * task on the request's own Netty event loop, where scheduling and cancelling it are plain queue operations.
 * A request that is not served by Reactor Netty (a mock exchange in a test) falls back to {@code Mono.timeout}.
 */
final class UpstreamTimeLimit implements GatewayFilter {

    private final Duration limit;

    UpstreamTimeLimit(Duration limit) {
        this.limit = limit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        Mono<Void> call = chain.filter(exchange);
        EventLoop loop = eventLoopOf(exchange);
        return loop == null ? call.timeout(limit) : call.timeout(expiry(loop));
    }

    /** A signal once the limit has passed, timed on the given event loop; cancelling it removes the timer. */
    private Mono<Long> expiry(EventLoop loop) {
        return Mono.create(sink -> {
            ScheduledFuture<?> timer = loop.schedule(() -> sink.success(0L), limit.toNanos(), TimeUnit.NANOSECONDS);
            sink.onDispose(() -> timer.cancel(false));
        });
    }

    private static EventLoop eventLoopOf(ServerWebExchange exchange) {
        Object request;
        try {
            request = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
        } catch (IllegalArgumentException notAdapted) {
            // A request that is neither a server adapter's nor a decorator of one has no native request.
            return null;
        }
        return request instanceof Connection connection ? connection.channel().eventLoop() : null;
    }
}
