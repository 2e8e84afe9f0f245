package io.kb.embedding.batch;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@link MicroBatcher} gathers texts ({@code kb.embedding.batch}); one batcher per model uses them.
 *
 * @param maxSize       the most texts in one batch handed to the model
 * @param maxWait       the longest a text waits for others to join its batch; a lone request is sent after it
 * @param queueCapacity the most texts waiting per model; a request that does not fit is rejected at once
 *                      (HTTP 503 with {@code Retry-After}) instead of queueing without bound
 * @param workers       batches of one model running on the model at the same time
 * @param retryAfter    what {@code Retry-After} tells a rejected caller, also when the model server is
 *                      unavailable; whole seconds, at least one
 */
public record BatchSettings(
        @DefaultValue("32") @Min(1) int maxSize,
        @DefaultValue("5ms") Duration maxWait,
        @DefaultValue("1024") @Min(1) int queueCapacity,
        @DefaultValue("2") @Min(1) int workers,
        @DefaultValue("1s") Duration retryAfter) {

    /** Checks the ranges, also when built outside configuration binding. */
    public BatchSettings {
        if (maxSize < 1 || queueCapacity < 1 || workers < 1) {
            throw new IllegalArgumentException(
                    "kb.embedding.batch.max-size, queue-capacity and workers must be at least 1");
        }
        if (maxWait == null || maxWait.isNegative()) {
            throw new IllegalArgumentException("kb.embedding.batch.max-wait must be zero or positive");
        }
        if (retryAfter == null || retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("kb.embedding.batch.retry-after must be at least 1s");
        }
    }
}
