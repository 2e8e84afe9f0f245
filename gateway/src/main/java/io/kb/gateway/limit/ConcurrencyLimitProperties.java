package io.kb.gateway.limit;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many requests the gateway's API routes carry at once. One more is not queued but shed at once with a 503
 * problem and {@code Retry-After}: a queue in front of a saturated service only adds waiting to every answer. A
 * streamed answer holds its place until its last byte is written or the caller goes away.
 *
 * @param maxInFlight the most requests in flight through the API routes of this instance
 * @param retryAfter  what a shed request is told to wait
 */
@Validated
@ConfigurationProperties("kb.gateway.concurrency")
public record ConcurrencyLimitProperties(
        @DefaultValue("256") @Min(1) int maxInFlight,
        @DefaultValue("1s") @NotNull Duration retryAfter) {
}
