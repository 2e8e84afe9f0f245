package io.kb.retrieval.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.kb.contracts.DeadLetterHeaders;
import io.kb.contracts.Topics;
import io.kb.service.kafka.KafkaTestTopics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.IndexVersions;
import io.kb.retrieval.index.SearchRequest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The indexer on a real (embedded KRaft) broker with a real Lucene index on disk. */
@SpringBootTest(properties = {"kb.kafka.delivery.attempts=2", "kb.kafka.delivery.initial-backoff=50ms",
        "kb.kafka.delivery.max-backoff=100ms", "kb.retrieval.search.embedding-url=http://127.0.0.1:9"})
@ActiveProfiles("local")
@EmbeddedKafka(partitions = 3, topics = {Topics.CHUNKS, Topics.INGEST_STATUS, Topics.CHUNKS_DLQ})
class IndexerIT {

    static final Path INDEX = tempDir();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kb.retrieval.index.lucene.path", INDEX::toString);
    }

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    ChunkIndex index;

    @Autowired
    IndexVersions versions;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    private final EventCodec codec = new EventCodec();

    @Test
    void appliesABatchThenAnnouncesTheDocumentAsIndexed() {
        String tenant = KafkaTestTopics.uniqueTenant();
        String versionBefore = versions.current(tenant);
        send(batch(tenant, "doc", 2, "Travel by economy class under six hours.", "Hotels are capped per city."));

        IngestStatus status = statuses(tenant, 1).getFirst();
        assertThat(versions.current(tenant)).as("the tenant's index version after a change").isNotEqualTo(versionBefore);
        assertThat(status.state()).isEqualTo(IngestState.INDEXED);
        assertThat(status.version()).isEqualTo(2);
        assertThat(status.chunkCount()).isEqualTo(2);
        List<ChunkHit> hits = index.search(Caller.of(tenant, "ann", List.of()), SearchRequest.bm25("economy", 5));
        assertThat(hits).extracting(ChunkHit::documentId).containsExactly("doc");
    }

    @Test
    void anOlderVersionAfterANewerOneIsIgnoredAndAnnouncesNothing() {
        String tenant = KafkaTestTopics.uniqueTenant();
        send(batch(tenant, "doc", 5, "The new text."));
        send(batch(tenant, "doc", 4, "The old text."));
        // Same key, same partition: once version 6 is announced, version 4 has been consumed.
        send(batch(tenant, "doc", 6, "The newest text."));

        assertThat(statuses(tenant, 2)).extracting(IngestStatus::version).containsExactly(5L, 6L);
        Caller caller = Caller.of(tenant, "ann", List.of());
        assertThat(index.search(caller, SearchRequest.bm25("old", 5))).isEmpty();
        assertThat(index.search(caller, SearchRequest.bm25("newest", 5))).hasSize(1);
        assertThat(index.storedVersion(tenant, "doc")).hasValue(6L);
    }

    @Test
    void aDeleteRemovesTheDocumentAndIsAnnounced() {
        String tenant = KafkaTestTopics.uniqueTenant();
        send(batch(tenant, "gone", 1, "Soon gone."));
        send(ChunkBatch.delete(tenant, "gone", 2));

        assertThat(statuses(tenant, 2)).extracting(IngestStatus::state)
                .containsExactly(IngestState.INDEXED, IngestState.DELETED);
        assertThat(index.search(Caller.of(tenant, "ann", List.of()), SearchRequest.bm25("gone", 5))).isEmpty();
    }

    @Test
    void unusableBatchesGoToTheDeadLetterTopicAndTheNextOneIsApplied() {
        String tenant = KafkaTestTopics.uniqueTenant();
        sendRaw(tenant + "/garbage", "not json".getBytes(StandardCharsets.UTF_8));
        ChunkBatch otherModel = withModel(batch(tenant, "other-model", 1, "Embedded by another model."), "another-model");
        send(otherModel);
        send(batch(tenant, "fine", 1, "A fine document."));

        List<ConsumerRecord<String, byte[]>> dead = read(Topics.CHUNKS_DLQ, tenant, 2);
        assertThat(dead).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(tenant + "/garbage", tenant + "/other-model");
        ConsumerRecord<String, byte[]> mismatch = dead.stream().filter(r -> r.key().endsWith("other-model")).findFirst().orElseThrow();
        assertThat(KafkaTestTopics.header(mismatch, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("index");
        assertThat(KafkaTestTopics.header(mismatch, DeadLetterHeaders.ERROR_REASON)).contains("another-model");
        List<IngestStatus> statuses = statuses(tenant, 2);
        assertThat(statuses).anySatisfy(s -> {
            assertThat(s.documentId()).isEqualTo("other-model");
            assertThat(s.state()).isEqualTo(IngestState.FAILED);
        });
        assertThat(statuses).anySatisfy(s -> {
            assertThat(s.documentId()).isEqualTo("fine");
            assertThat(s.state()).isEqualTo(IngestState.INDEXED);
        });
    }

    @Test
    void aBadBatchInTheMiddleOfAPollIsDeadLetteredAndTheOthersAroundItAreIndexed() throws Exception {
        String tenant = KafkaTestTopics.uniqueTenant();
        MessageListenerContainer indexer = listeners.getListenerContainer("retrieval-indexer");
        // Paused while the records are written, so that one poll takes them all.
        indexer.pause();
        awaitTrue(indexer::isContainerPaused);
        try {
            sendToOnePartition(List.of(
                    batch(tenant, "before-1", 1, "Written before the bad one."),
                    batch(tenant, "doc", 5, "The fifth version."),
                    batch(tenant, "doc", 4, "The fourth version arrives late."),
                    batch(tenant, "before-2", 1, "Also before the bad one."),
                    withModel(batch(tenant, "bad", 1, "Embedded by another model."), "another-model"),
                    batch(tenant, "after-1", 1, "Written after the bad one."),
                    batch(tenant, "doc", 6, "The sixth version."),
                    batch(tenant, "after-2", 1, "Also after the bad one.")));
        } finally {
            indexer.resume();
        }

        List<ConsumerRecord<String, byte[]>> dead = read(Topics.CHUNKS_DLQ, tenant, 1);
        assertThat(dead.getFirst().key()).isEqualTo(tenant + "/bad");
        assertThat(KafkaTestTopics.header(dead.getFirst(), DeadLetterHeaders.ERROR_STAGE)).isEqualTo("index");
        assertThat(KafkaTestTopics.header(dead.getFirst(), DeadLetterHeaders.ERROR_REASON)).contains("another-model");
        List<IngestStatus> statuses = statuses(tenant, 7);
        assertThat(statuses).filteredOn(s -> s.state() == IngestState.INDEXED)
                .extracting(s -> s.documentId() + "@" + s.version())
                .containsExactlyInAnyOrder("before-1@1", "doc@5", "before-2@1", "after-1@1", "doc@6", "after-2@1");
        assertThat(statuses).filteredOn(s -> s.state() == IngestState.FAILED).extracting(IngestStatus::documentId)
                .containsExactly("bad");
        Caller caller = Caller.of(tenant, "ann", List.of());
        assertThat(index.search(caller, SearchRequest.bm25("before after bad version", 20)))
                .extracting(ChunkHit::documentId).containsExactlyInAnyOrder("before-1", "before-2", "after-1",
                        "after-2", "doc");
        assertThat(index.storedVersion(tenant, "doc")).hasValue(6L);
        assertThat(index.storedVersion(tenant, "bad")).isEmpty();
    }

    // --- helpers ---

    static final String MODEL = "test-model";

    private static ChunkBatch batch(String tenant, String documentId, long version, String... texts) {
        DocumentEvent event = DocumentEvent.upsert(tenant, documentId, version, documentId, "text/plain",
                List.of("public"), Map.of(), Content.ofText(String.join("\n", texts)));
        List<Chunk> chunks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.length; i++) {
            float[] v = {1, i, 0, 0};
            float n = (float) Math.sqrt(1 + i * i);
            for (int d = 0; d < 4; d++) {
                v[d] /= n;
            }
            chunks.add(new Chunk(ChunkIds.of(tenant, documentId, version, i), i, texts[i], v, List.of(), null,
                    offset, offset + texts[i].length()));
            offset += texts[i].length() + 1;
        }
        return ChunkBatch.upsert(event, "text/plain", new EmbeddingInfo(MODEL, 4), chunks);
    }

    private static ChunkBatch withModel(ChunkBatch b, String model) {
        return new ChunkBatch(b.schemaVersion(), b.operation(), b.tenant(), b.documentId(), b.version(), b.title(),
                b.source(), b.mediaType(), b.acl(), b.metadata(), new EmbeddingInfo(model, 4), b.chunks());
    }

    private void send(ChunkBatch batch) {
        sendRaw(batch.key().asString(), codec.write(batch));
    }

    /** Writes the batches in order to partition 0 with one producer, acknowledged together. */
    private void sendToOnePartition(List<ChunkBatch> batches) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (ChunkBatch batch : batches) {
                sent.add(producer.send(new ProducerRecord<>(Topics.CHUNKS, 0, batch.key().asString(),
                        codec.write(batch))));
            }
            for (Future<RecordMetadata> each : sent) {
                each.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for the listener to pause").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void sendRaw(String key, byte[] value) {
        new KafkaTestTopics(brokers).send(Topics.CHUNKS, key, value);
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, String tenant, int expected) {
        return new KafkaTestTopics(brokers).read(topic, tenant, expected);
    }

    private List<IngestStatus> statuses(String tenant, int expected) {
        return read(Topics.INGEST_STATUS, tenant, expected).stream().map(r -> codec.readIngestStatus(r.value())).toList();
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("kb-indexer-it");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
