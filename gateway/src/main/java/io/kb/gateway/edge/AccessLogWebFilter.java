package io.kb.gateway.edge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kb.gateway.auth.Caller;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * One access-log line per request (logger {@code io.kb.gateway.access}) and the timer {@code kb.gateway.requests}
 * with tags {@code route} (a route id, or {@code none}), {@code outcome} and {@code status}. The line names the
 * request id, method, path (never the query, which may hold secrets), route, status, duration and the caller's
 * user and tenant from the validated token; never the token.
 *
 * <p>Gateway's own {@code spring.cloud.gateway.requests} timer misses every request that the edge refuses before
 * routing (401, 413, 429, 503), so this one is recorded here, after the edge's problem handler has rendered any
 * error: what is logged and measured is the status the caller received.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1) // right after the request id exists
public class AccessLogWebFilter implements WebFilter {

    private static final Logger log = LoggerFactory.getLogger("io.kb.gateway.access");
    private static final int MAX_PATH = 256;

    private final ProblemErrorWebExceptionHandler problems;
    private final MeterRegistry meters;
    /**
     * The timers already registered, by their tags: building the meter id and finding it in the registry on every
     * request cost more than the recording. Bounded by the routes, outcomes and statuses, as the registry is.
     */
    private final Map<TimerTags, Timer> timers = new ConcurrentHashMap<>();

    public AccessLogWebFilter(ProblemErrorWebExceptionHandler problems, MeterRegistry meters) {
        this.problems = problems;
        this.meters = meters;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long start = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        return chain.filter(exchange)
                .onErrorResume(error -> problems.handle(exchange, error))
                .doFinally(signal -> {
                    if (done.compareAndSet(false, true)) {
                        record(exchange, signal, System.nanoTime() - start);
                    }
                });
    }

    private void record(ServerWebExchange exchange, SignalType signal, long nanos) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        String routeId = route == null ? "none" : route.getId();
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        int code = status == null ? 200 : status.value();
        String outcome = signal == SignalType.CANCEL ? "CANCELLED" : outcome(code);
        timers.computeIfAbsent(new TimerTags(routeId, outcome, code), this::timer).record(nanos, TimeUnit.NANOSECONDS);
        if (log.isInfoEnabled()) {
            Caller caller = Caller.of(exchange);
            String path = exchange.getRequest().getPath().value();
            log.info("requestId={} method={} path={} route={} status={} outcome={} durationMs={} user={} tenant={}",
                    exchange.getAttribute(RequestIdWebFilter.ATTRIBUTE), exchange.getRequest().getMethod(),
                    path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path, routeId, code, outcome,
                    TimeUnit.NANOSECONDS.toMillis(nanos),
                    caller == null ? "-" : caller.user(), caller == null ? "-" : caller.tenant());
        }
    }

    private Timer timer(TimerTags tags) {
        return Timer.builder("kb.gateway.requests")
                .description("Requests through the gateway, refused ones included")
                .tag("route", tags.route())
                .tag("outcome", tags.outcome())
                .tag("status", Integer.toString(tags.status()))
                .register(meters);
    }

    private static String outcome(int code) {
        HttpStatus.Series series = HttpStatus.Series.resolve(code);
        return series == null ? "UNKNOWN" : switch (series) {
            case INFORMATIONAL -> "INFORMATIONAL";
            case SUCCESSFUL -> "SUCCESS";
            case REDIRECTION -> "REDIRECTION";
            case CLIENT_ERROR -> "CLIENT_ERROR";
            case SERVER_ERROR -> "SERVER_ERROR";
        };
    }

    /** The tags of one {@code kb.gateway.requests} timer. */
    private record TimerTags(String route, String outcome, int status) {
    }
}
