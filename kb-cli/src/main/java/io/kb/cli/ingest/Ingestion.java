package io.kb.cli.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.kb.cli.ingest.StatusTracker.Outcome;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.IngestState;

/** Publishes document events and, when asked, follows them until each is indexed or failed. */
public final class Ingestion {

    /**
     * What became of the documents.
     *
     * @param total    documents published
     * @param outcomes the final or latest state of each document that reported one
     * @param pending  keys of the documents with no final state when following stopped
     */
    public record Result(int total, Map<String, Outcome> outcomes, List<String> pending) {

        public long indexed() {
            return outcomes.values().stream().filter(o -> o.state() == IngestState.INDEXED).count();
        }

        public List<Outcome> failed() {
            return outcomes.values().stream().filter(o -> o.state() == IngestState.FAILED).toList();
        }
    }

    private final String bootstrapServers;

    public Ingestion(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Publishes and returns once Kafka has every event. */
    public void publish(List<DocumentEvent> events) {
        try (DocumentPublisher publisher = new DocumentPublisher(bootstrapServers)) {
            publisher.publish(events);
        }
    }

    /** Publishes, then follows the status topic until every document is indexed or failed, or the time is up. */
    public Result publishAndFollow(List<DocumentEvent> events, Duration timeout, Consumer<Map<String, Outcome>> progress) {
        try (StatusTracker tracker = new StatusTracker(bootstrapServers)) {
            tracker.expect(events);
            publish(events);
            Map<String, Outcome> outcomes = tracker.await(timeout, progress);
            return new Result(events.size(), outcomes, tracker.pending());
        }
    }
}
