package io.kb.gateway.limit;

import java.util.Map;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The largest request body each API route accepts. A larger one is refused with a 413 problem: at once when its
 * {@code Content-Length} says so, or, for a body sent without one (chunked), as soon as the bytes read pass the
 * limit, which aborts the request to the service before it is complete.
 *
 * @param maxSize the limit of every route without one of its own (the JSON APIs)
 * @param routes  limits by route id ({@code documents}, {@code search}, {@code answers}, {@code openai}); the
 *                gateway's application.yaml gives {@code documents} room for the uploads ingest-service accepts
 */
@Validated
@ConfigurationProperties("kb.gateway.request-body")
public record RequestBodyProperties(
        @DefaultValue("1MB") @NotNull DataSize maxSize,
        @DefaultValue Map<String, @NotNull DataSize> routes) {

    public RequestBodyProperties {
        routes = routes == null ? Map.of() : Map.copyOf(routes);
        if (maxSize != null && maxSize.toBytes() <= 0) {
            throw new IllegalArgumentException("kb.gateway.request-body.max-size must be positive, was " + maxSize);
        }
        routes.forEach((route, size) -> {
            if (size.toBytes() <= 0) {
                throw new IllegalArgumentException(
                        "kb.gateway.request-body.routes." + route + " must be positive, was " + size);
            }
        });
    }

    /** The limit of a route. */
    DataSize limitOf(String routeId) {
        return routes.getOrDefault(routeId, maxSize);
    }
}
