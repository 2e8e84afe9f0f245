package io.kb.ingest.embed;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How ingest-service reaches embedding-service.
 *
 * @param url       base URL of embedding-service
 * @param batchSize texts per request: large enough to fill the service's batches, small enough to keep
 *                  a request short
 * @param timeout   time allowed for one request
 */
@Validated
@ConfigurationProperties("kb.ingest.embedding")
public record EmbeddingClientProperties(
        @NotNull URI url,
        @DefaultValue("32") @Min(1) @Max(1024) int batchSize,
        @NotNull @DefaultValue("60s") Duration timeout) {
}
