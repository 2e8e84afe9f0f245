package io.kb.gateway.route;

import java.net.URI;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway sends each API. In the {@code local} profile these are the loopback ports that
 * {@code kb up} uses; in {@code cluster} they come from the environment and must all be set.
 *
 * @param ingest    base URL of ingest-service ({@code /api/v1/documents/**})
 * @param retrieval base URL of retrieval-service ({@code /api/v1/search})
 * @param inference base URL of inference-service ({@code /api/v1/answers/**}, {@code /v1/chat/completions},
 *                  {@code /v1/models})
 */
@Validated
@ConfigurationProperties("kb.gateway.upstreams")
public record UpstreamProperties(@NotNull URI ingest, @NotNull URI retrieval, @NotNull URI inference) {
}
