package io.kb.ingest.pipeline;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How document events are consumed: retries of transient failures, then the dead-letter topic.
 *
 * @param attempts       tries of a document whose failure may pass (a service down, a timeout), the first included
 * @param initialBackoff wait before the second try; doubled for each further try
 * @param maxBackoff     longest wait between tries
 * @param concurrency    consumer threads (up to the topic's partitions)
 */
@Validated
@ConfigurationProperties("kb.ingest.delivery")
public record DeliveryProperties(
        @DefaultValue("4") @Min(1) @Max(20) int attempts,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("3") @Min(1) @Max(64) int concurrency) {
}
