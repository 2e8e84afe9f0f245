package io.kb.ingest.status;

import io.kb.contracts.event.IngestStatus;

/**
 * Told of every status that {@link KafkaStatusFeed} reads from {@code kb.ingest.status.v1}, old ones included at
 * start, so what it does must be harmless to repeat. It runs on the feed's thread: it should be quick.
 */
@FunctionalInterface
public interface IngestStatusListener {

    void onStatus(IngestStatus status);
}
