package io.kb.ingest.status;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Down until {@link KafkaStatusFeed} has read {@code kb.ingest.status.v1} up to where it ended at start; it is in
 * the readiness group ({@code application.yaml}), so traffic arrives only once document states can be answered.
 */
public final class StatusFeedHealthIndicator implements HealthIndicator {

    private final KafkaStatusFeed feed;
    private final DocumentStates states;

    public StatusFeedHealthIndicator(KafkaStatusFeed feed, DocumentStates states) {
        this.feed = feed;
        this.states = states;
    }

    @Override
    public Health health() {
        Health.Builder health = feed.caughtUp() ? Health.up() : Health.down().withDetail("reason",
                "still reading the ingest status topic from its beginning");
        return health.withDetail("documents", states.size()).build();
    }
}
