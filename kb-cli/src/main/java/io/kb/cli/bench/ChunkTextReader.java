package io.kb.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.Operation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads back the chunk texts ingest-service embedded for some documents, from {@code kb.chunks.v1}: from the start
 * of the topic to its end as it is when called, without a consumer group, so that it commits nothing and takes
 * nothing from the indexer.
 */
final class ChunkTextReader {

    private final String bootstrapServers;
    private final EventCodec codec = new EventCodec();

    ChunkTextReader(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * The texts of the chunks of the given document versions, documents in the order of the map, chunks in
     * document order.
     *
     * @param versions the version wanted of each document, by its Kafka key {@code tenant/documentId}
     */
    List<String> read(Map<String, Long> versions, Duration timeout) {
        Map<String, List<Chunk>> found = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kb-cli-bench");
        // Batches carry a vector per chunk: larger fetches keep the read short.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHUNKS, Duration.ofSeconds(15)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, end) && found.size() < versions.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + Topics.CHUNKS + " took longer than " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    Long version = versions.get(r.key());
                    if (version == null || r.value() == null) {
                        continue; // another tenant's, or another document's
                    }
                    ChunkBatch batch;
                    try {
                        batch = codec.readChunkBatch(r.value());
                    } catch (ContractViolationException e) {
                        continue; // the indexer's DLQ deals with it; it is not a chunk that was indexed
                    }
                    if (batch.operation() == Operation.UPSERT && batch.version() == version) {
                        found.put(r.key(), batch.chunks());
                    }
                }
            }
        }
        List<String> texts = new ArrayList<>();
        versions.keySet().forEach(key -> found.getOrDefault(key, List.of()).forEach(c -> texts.add(c.text())));
        return texts;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
