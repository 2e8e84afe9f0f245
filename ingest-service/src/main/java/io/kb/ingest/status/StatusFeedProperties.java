package io.kb.ingest.status;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the service follows {@code kb.ingest.status.v1} to answer {@code GET /api/v1/documents/...}.
 *
 * @param pollTimeout  longest wait of one poll for new statuses; also bounds how long stopping takes
 * @param retryBackoff wait before reconnecting after the broker could not be reached or the topic was missing
 * @param fetchMaxWait how long the broker may hold a fetch to gather statuses (up to 64 KiB) before answering: while
 *                     documents stream in, one fetch then brings many statuses instead of one each, which the broker
 *                     and this service both pay for; a document's state here lags by at most this much
 */
@Validated
@ConfigurationProperties("kb.ingest.status")
public record StatusFeedProperties(
        @NotNull @DefaultValue("500ms") Duration pollTimeout,
        @NotNull @DefaultValue("5s") Duration retryBackoff,
        @NotNull @DefaultValue("250ms") Duration fetchMaxWait) {

    public StatusFeedProperties {
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("kb.ingest.status.poll-timeout must be positive");
        }
        if (fetchMaxWait.isNegative()) {
            throw new IllegalArgumentException("kb.ingest.status.fetch-max-wait must not be negative");
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("kb.ingest.status.retry-backoff must not be negative");
        }
    }
}
