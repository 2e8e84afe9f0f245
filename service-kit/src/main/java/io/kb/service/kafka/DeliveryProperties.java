package io.kb.service.kafka;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a consuming service retries a record whose failure may pass before it dead-letters it.
 *
 * @param attempts       tries of such a record, the first included
 * @param initialBackoff wait before the second try; doubled for each further try
 * @param maxBackoff     longest wait between tries
 */
@Validated
@ConfigurationProperties("kb.kafka.delivery")
public record DeliveryProperties(
        @DefaultValue("4") @Min(1) @Max(20) int attempts,
        @NotNull @DefaultValue("1s") Duration initialBackoff,
        @NotNull @DefaultValue("30s") Duration maxBackoff) {
}
