package io.kb.cli.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows {@code kb.ingest.status.v1} for a set of documents until each is indexed or failed. It reads from the
 * end of the topic as it was when created (call it before publishing), without a consumer group, so it commits
 * nothing and disturbs no service.
 */
public final class StatusTracker implements AutoCloseable {

    /** Where one document stands. */
    public record Outcome(String documentId, long version, IngestState state, String reason, Integer chunkCount) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final EventCodec codec = new EventCodec();
    private final Map<String, Long> expected = new LinkedHashMap<>();
    private final Map<String, Outcome> outcomes = new LinkedHashMap<>();

    public StatusTracker(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kb-cli-status");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.INGEST_STATUS, Duration.ofSeconds(15)).stream()
                .map(i -> new TopicPartition(i.topic(), i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the positions now, before anything is published
    }

    /** The documents to wait for. */
    public void expect(Collection<DocumentEvent> events) {
        events.forEach(e -> expected.put(e.key().asString(), e.version()));
    }

    /**
     * Reads statuses until every expected document is indexed or failed, or the time is up.
     *
     * @param progress called after each change, with the outcomes so far
     * @return the final outcome of every expected document that got one
     */
    public Map<String, Outcome> await(Duration timeout, Consumer<Map<String, Outcome>> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done() && System.nanoTime() < deadline) {
            boolean changed = false;
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                changed |= record(r);
            }
            if (changed) {
                progress.accept(Map.copyOf(outcomes));
            }
        }
        return new LinkedHashMap<>(outcomes);
    }

    /** Keys of the documents with no final outcome yet. */
    public List<String> pending() {
        List<String> pending = new ArrayList<>();
        expected.forEach((key, v) -> {
            Outcome o = outcomes.get(key);
            if (o == null || !isFinal(o.state())) {
                pending.add(key);
            }
        });
        return pending;
    }

    private boolean record(ConsumerRecord<String, byte[]> r) {
        Long version = expected.get(r.key());
        if (version == null || r.value() == null) {
            return false;
        }
        IngestStatus s;
        try {
            s = codec.readIngestStatus(r.value());
        } catch (ContractViolationException e) {
            return false; // not ours to judge: the services' own DLQs deal with bad records
        }
        if (s.version() < version) {
            return false; // a status of an older version of the same document
        }
        outcomes.put(r.key(), new Outcome(s.documentId(), s.version(), s.state(), s.reason(), s.chunkCount()));
        return true;
    }

    private boolean done() {
        return !expected.isEmpty() && pending().isEmpty();
    }

    private static boolean isFinal(IngestState state) {
        return state == IngestState.INDEXED || state == IngestState.FAILED;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
