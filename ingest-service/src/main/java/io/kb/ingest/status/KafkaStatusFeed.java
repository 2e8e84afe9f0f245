package io.kb.ingest.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.DocumentKey;
import io.kb.contracts.Topics;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStatus;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * Feeds {@link DocumentStates} from {@code kb.ingest.status.v1}: at start it assigns itself every partition, reads
 * from the beginning (the topic is compacted, so that is one status per document plus what is not compacted yet),
 * and then keeps following. It belongs to no consumer group and commits nothing: every instance builds its own
 * complete view. Partitions added to the topic while running are picked up only at the next start.
 *
 * <p>Every status read is also handed to the {@link IngestStatusListener}s (the upload store's janitor), after the
 * states have it; a listener that fails is reported and does not stop the feed.
 *
 * <p>{@link #caughtUp()} turns true once every partition has been read up to the end offsets seen at start; the
 * readiness probe waits for it (see {@link StatusFeedHealthIndicator}), so an instance does not answer 404 for
 * documents it simply has not read yet.
 */
public final class KafkaStatusFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KafkaStatusFeed.class);

    private final ConsumerFactory<String, byte[]> consumers;
    private final EventCodec codec;
    private final DocumentStates states;
    private final StatusFeedProperties properties;
    private final List<IngestStatusListener> listeners;

    private volatile boolean running;
    private volatile boolean caughtUp;
    private volatile Consumer<String, byte[]> consumer;
    private Thread thread;

    public KafkaStatusFeed(ConsumerFactory<String, byte[]> consumers, EventCodec codec, DocumentStates states,
            StatusFeedProperties properties, List<IngestStatusListener> listeners) {
        this.consumers = consumers;
        this.codec = codec;
        this.states = states;
        this.properties = properties;
        this.listeners = List.copyOf(listeners);
    }

    /** Whether the store has read the whole topic as it was at start. */
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = Thread.ofPlatform().name("kb-ingest-status-feed").daemon().start(this::follow);
    }

    @Override
    public synchronized void stop() {
        running = false;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(properties.pollTimeout().multipliedBy(4).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void follow() {
        while (running) {
            Properties overrides = new Properties();
            // Assigned, not subscribed: no group membership, no rebalances, no commits.
            overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            overrides.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024));
            overrides.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, Long.toString(properties.fetchMaxWait().toMillis()));
            try (Consumer<String, byte[]> c = consumers.createConsumer(null, "kb-ingest-status-feed", null, overrides)) {
                consumer = c;
                read(c);
            } catch (WakeupException e) {
                // stop() woke the poll up.
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("cannot follow {}: {}; retrying in {}", Topics.INGEST_STATUS, e.getMessage(),
                            properties.retryBackoff());
                    pause();
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void read(Consumer<String, byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(Topics.INGEST_STATUS, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + Topics.INGEST_STATUS + " has no partitions yet");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> endAtStart = c.endOffsets(partitions);
        while (running) {
            for (ConsumerRecord<String, byte[]> record : c.poll(properties.pollTimeout())) {
                apply(record);
            }
            if (!caughtUp && endAtStart.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                caughtUp = true;
                log.info("read {} up to its end at start: {} documents", Topics.INGEST_STATUS, states.size());
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                states.remove(DocumentKey.parse(record.key()));
            } else {
                IngestStatus status = codec.readIngestStatus(record.value());
                states.apply(status);
                tell(status);
            }
        } catch (ContractViolationException e) {
            // Another producer's bad record must not stop the view; it is skipped and reported.
            log.warn("skipping an invalid status at {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    private void tell(IngestStatus status) {
        for (IngestStatusListener listener : listeners) {
            try {
                listener.onStatus(status);
            } catch (RuntimeException e) {
                log.warn("{} failed on the status of {}@{}: {}", listener.getClass().getSimpleName(),
                        status.documentId(), status.version(), e.getMessage());
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(properties.retryBackoff());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
