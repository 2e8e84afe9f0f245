package io.kb.gateway.route;

import java.io.IOException;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.RetryGatewayFilterFactory;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.GatewayFilterSpec;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * The public API surface and the service behind each part of it. Every route goes through its upstream's circuit
 * breaker, whose failures end in {@link UpstreamFallback}, within the breakers' time limit ({@link UpstreamTimeLimit}),
 * and retries a {@code GET} that could not reach the
 * service; no other method is ever retried.
 */
@Configuration(proxyBeanMethods = false)
class ApiRoutes {

    @Bean
    RouteLocator apiRouteLocator(RouteLocatorBuilder routes, UpstreamProperties upstreams,
            ResilienceProperties resilience, RetryGatewayFilterFactory retries) {
        return routes.routes()
                .route("documents", r -> r.path("/api/v1/documents", "/api/v1/documents/**")
                        .filters(f -> resilient(f, "documents", "ingest", resilience, retries))
                        .uri(upstreams.ingest()))
                .route("search", r -> r.path("/api/v1/search")
                        .filters(f -> resilient(f, "search", "retrieval", resilience, retries))
                        .uri(upstreams.retrieval()))
                .route("answers", r -> r.path("/api/v1/answers", "/api/v1/answers/**")
                        .filters(f -> resilient(f, "answers", "inference", resilience, retries))
                        .uri(upstreams.inference()))
                .route("openai", r -> r.path("/v1/chat/completions", "/v1/models", "/v1/models/**")
                        .filters(f -> resilient(f, "openai", "inference", resilience, retries))
                        .uri(upstreams.inference()))
                .build();
    }

    /**
     * The upstream's breaker around its time limit and the retries, so that one call, retries and all, counts once
     * and is limited once. Retries cover an I/O error before or during the exchange and a 502; a timeout is not
     * retried, it would only wait again.
     */
    private static GatewayFilterSpec resilient(GatewayFilterSpec filters, String routeId, String upstream,
            ResilienceProperties resilience, RetryGatewayFilterFactory retries) {
        filters.circuitBreaker(breaker -> breaker
                .setName(upstream)
                .setFallbackUri("forward:" + UpstreamFallback.PATH + upstream));
        filters.filter(new UpstreamTimeLimit(resilience.circuitBreaker().timeLimit()));
        ResilienceProperties.Retry retry = resilience.retry();
        if (retry.retries() > 0) {
            RetryGatewayFilterFactory.RetryConfig config = new RetryGatewayFilterFactory.RetryConfig()
                    .setRetries(retry.retries())
                    .setMethods(HttpMethod.GET)
                    .setSeries()
                    .setStatuses(HttpStatus.BAD_GATEWAY)
                    .setExceptions(IOException.class)
                    .setBackoff(retry.firstBackoff(), retry.maxBackoff(), 2, false);
            config.setRouteId(routeId);
            filters.filter(onlyForGet(retries.apply(config)));
        }
        return filters;
    }

    /**
     * The retry filter on {@code GET}s only. It would never retry another method anyway, but it wraps every call in
     * its repeat and retry operators and their bookkeeping, which on a search {@code POST} cost CPU for nothing.
     */
    static GatewayFilter onlyForGet(GatewayFilter retry) {
        return (exchange, chain) -> HttpMethod.GET.equals(exchange.getRequest().getMethod())
                ? retry.filter(exchange, chain)
                : chain.filter(exchange);
    }
}
