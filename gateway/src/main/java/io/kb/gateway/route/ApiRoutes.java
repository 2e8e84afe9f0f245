package io.kb.gateway.route;

import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The public API surface and the service behind each part of it. */
@Configuration(proxyBeanMethods = false)
class ApiRoutes {

    @Bean
    RouteLocator apiRouteLocator(RouteLocatorBuilder routes, UpstreamProperties upstreams) {
        return routes.routes()
                .route("documents", r -> r.path("/api/v1/documents", "/api/v1/documents/**").uri(upstreams.ingest()))
                .route("search", r -> r.path("/api/v1/search").uri(upstreams.retrieval()))
                .route("answers", r -> r.path("/api/v1/answers", "/api/v1/answers/**").uri(upstreams.inference()))
                .route("openai", r -> r.path("/v1/chat/completions", "/v1/models").uri(upstreams.inference()))
                .build();
    }
}
