package io.kb.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.contracts.DeadLetterHeaders;
import io.kb.contracts.Topics;
import io.kb.service.embedding.EmbeddingStandIn;
import io.kb.service.kafka.KafkaTestTopics;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;
import io.kb.contracts.event.Operation;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * ingest-service consuming a real (embedded KRaft) Kafka broker, with real Tika and tokenizers. embedding-service is
 * replaced by an HTTP stand-in that answers deterministic vectors and can be told to fail, so that retries and
 * dead letters can be provoked; the full stack with the real model is covered by the end-to-end tests.
 */
@SpringBootTest(properties = {
        "kb.kafka.delivery.attempts=3",
        "kb.kafka.delivery.initial-backoff=50ms",
        "kb.kafka.delivery.max-backoff=200ms",
        "spring.kafka.consumer.auto-offset-reset=earliest"})
@EmbeddedKafka(partitions = IngestPipelineIT.PARTITIONS, topics = {Topics.DOCUMENTS, Topics.CHUNKS, Topics.INGEST_STATUS, Topics.DOCUMENTS_DLQ})
class IngestPipelineIT {

    static final int PARTITIONS = 3;
    static final int DIMENSION = 8;
    static final Path ALLOWED = createTempDir();
    /** Tenants for which the stand-in answers 503 this many more times. */
    static final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();
    /** A chunk text with this in it is refused by the stand-in with a 400, as a text the model cannot embed. */
    static final String REFUSED = "UNEMBEDDABLE";
    static final EmbeddingStandIn embedding = EmbeddingStandIn.start("stand-in", DIMENSION, IngestPipelineIT::vectorOf,
            kb -> failuresLeft.containsKey(kb) && failuresLeft.get(kb).getAndDecrement() > 0,
            text -> text.contains(REFUSED));

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    private final EventCodec codec = new EventCodec();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("kb.ingest.embedding.url", embedding::url);
        registry.add("kb.ingest.source.file-roots", ALLOWED::toString);
    }

    @AfterAll
    static void stop() {
        embedding.close();
    }

    @Test
    void publishesOneChunkBatchPerDocumentWithDeterministicIdsAndStructure() {
        String tenant = KafkaTestTopics.uniqueTenant();
        DocumentEvent event = DocumentEvent.upsert(tenant, "hr/leave.md", 7, "Annual leave", "text/markdown",
                List.of("public", "group:hr"), Map.of("department", "hr"),
                Content.ofText("# Annual leave\n\n## Entitlement\n\nEvery employee gets 25 days of paid leave.\n\n"
                        + "## Carry-over\n\nUp to 5 days may be carried over to 31 March."));

        send(event);

        ChunkBatch batch = chunkBatches(tenant, 1).getFirst();
        assertThat(batch.operation()).isEqualTo(Operation.UPSERT);
        assertThat(batch.version()).isEqualTo(7);
        assertThat(batch.title()).isEqualTo("Annual leave");
        assertThat(batch.acl()).containsExactly("public", "group:hr");
        assertThat(batch.metadata()).containsEntry("department", "hr");
        assertThat(batch.embedding().model()).isEqualTo("stand-in");
        assertThat(batch.embedding().dimension()).isEqualTo(DIMENSION);
        assertThat(batch.chunks()).isNotEmpty();
        for (int i = 0; i < batch.chunks().size(); i++) {
            assertThat(batch.chunks().get(i).id()).isEqualTo(ChunkIds.of(tenant, "hr/leave.md", 7, i));
            assertThat(batch.chunks().get(i).vector()).containsExactly(vectorOf(batch.chunks().get(i).text()));
        }
        String all = String.join("\n", batch.chunks().stream().map(c -> c.text()).toList());
        assertThat(all).contains("25 days").contains("31 March");
        assertThat(batch.chunks()).anySatisfy(c -> assertThat(c.headingPath()).contains("Carry-over"));
        assertThat(statuses(tenant, 1)).extracting(IngestStatus::state).containsExactly(IngestState.RECEIVED);
    }

    @Test
    void inlineTextIsReadAsTheUtf8ItIsEvenWhenItQuotesAnotherCharset() {
        // Tika's encoding detection would follow the quoted declaration and read "café" as "cafÃ©".
        String tenant = KafkaTestTopics.uniqueTenant();
        send(DocumentEvent.upsert(tenant, "web/encodings.md", 1, "Encodings", "text/markdown", List.of("public"),
                Map.of(), Content.ofText("# Encodings\n\nOld pages said <meta charset=\"windows-1252\"> in their head, "
                        + "and the café’s menu broke.")));

        ChunkBatch batch = chunkBatches(tenant, 1).getFirst();

        assertThat(String.join("\n", batch.chunks().stream().map(c -> c.text()).toList()))
                .contains("the café’s menu broke");
    }

    @Test
    void poisonedRecordsGoToTheDeadLetterTopicAndTheNextDocumentIsStillProcessed() {
        String tenant = KafkaTestTopics.uniqueTenant();
        sendRaw(tenant + "/garbage", new byte[] {0, 1, 2, (byte) 0xFF});
        sendRaw(tenant + "/not-json", "{\"schemaVersion\":1,".getBytes(StandardCharsets.UTF_8));
        sendRaw(tenant + "/bad-type", ("{\"schemaVersion\":1,\"operation\":\"UPSERT\",\"tenant\":\"" + tenant
                + "\",\"documentId\":\"bad-type\",\"version\":1,\"mediaType\":\"application/x-unknown\","
                + "\"acl\":[\"public\"],\"content\":{\"text\":\"x\"}}").getBytes(StandardCharsets.UTF_8));
        send(DocumentEvent.upsert(tenant, "good.txt", 1, "Good", null, List.of("public"), Map.of(),
                Content.ofText("A perfectly good document about travel expenses.")));

        assertThat(chunkBatches(tenant, 1)).extracting(ChunkBatch::documentId).containsExactly("good.txt");
        List<ConsumerRecord<String, byte[]>> dead = read(Topics.DOCUMENTS_DLQ, tenant, 3);
        assertThat(dead).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(tenant + "/garbage", tenant + "/not-json", tenant + "/bad-type");
        for (ConsumerRecord<String, byte[]> r : dead) {
            assertThat(KafkaTestTopics.header(r, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("decode");
            assertThat(KafkaTestTopics.header(r, DeadLetterHeaders.ERROR_ATTEMPTS)).isEqualTo("1");
            assertThat(KafkaTestTopics.header(r, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(Topics.DOCUMENTS);
        }
        ConsumerRecord<String, byte[]> badType = dead.stream().filter(r -> r.key().endsWith("bad-type")).findFirst().orElseThrow();
        assertThat(KafkaTestTopics.header(badType, DeadLetterHeaders.ERROR_REASON)).contains("mediaType");
        assertThat(dead.stream().filter(r -> r.key().endsWith("garbage")).findFirst().orElseThrow().value())
                .containsExactly(0, 1, 2, (byte) 0xFF);
    }

    @Test
    void theDocumentsOfAPollAreEmbeddedTogetherAndACorruptOneAmongThemFailsAlone() {
        String tenant = KafkaTestTopics.uniqueTenant();
        List<String> ids = idsOnOnePartition(tenant, 8);
        byte[] truncatedPdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog".getBytes(StandardCharsets.US_ASCII);
        whilePaused(() -> {
            for (int i = 0; i < ids.size(); i++) {
                send(i == 3
                        ? DocumentEvent.upsert(tenant, ids.get(i), 1, null, "application/pdf", List.of("public"), Map.of(),
                                Content.ofBytes(truncatedPdf))
                        : DocumentEvent.upsert(tenant, ids.get(i), 1, null, null, List.of("public"), Map.of(),
                                Content.ofText("Document " + i + " is about the travel policy, paragraph " + i + ".")));
            }
        });

        List<ChunkBatch> batches = chunkBatches(tenant, 7);
        assertThat(batches).extracting(ChunkBatch::documentId)
                .containsExactlyElementsOf(ids.stream().filter(id -> !id.equals(ids.get(3))).toList());
        for (ChunkBatch batch : batches) {
            assertThat(batch.chunks()).allSatisfy(c -> assertThat(c.vector()).containsExactly(vectorOf(c.text())));
        }
        ConsumerRecord<String, byte[]> dead = read(Topics.DOCUMENTS_DLQ, tenant, 1).getFirst();
        assertThat(dead.key()).isEqualTo(tenant + "/" + ids.get(3));
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("parse");
        // One request for the three before the corrupt file, one for the four after it (polled again); one more if a
        // fetch sent before the pause brought the first record alone. One request per document would make seven.
        assertThat(embedding.calls(tenant)).isBetween(2, 3);
    }

    @Test
    void aTextTheModelRefusesFailsOnlyItsOwnDocumentOfAGroup() {
        String tenant = KafkaTestTopics.uniqueTenant();
        List<String> ids = idsOnOnePartition(tenant, 6);
        whilePaused(() -> {
            for (int i = 0; i < ids.size(); i++) {
                send(DocumentEvent.upsert(tenant, ids.get(i), 1, null, null, List.of("public"), Map.of(),
                        Content.ofText("Document " + i + (i == 3 ? " holds " + REFUSED + "." : " is fine."))));
            }
        });

        assertThat(chunkBatches(tenant, 5)).extracting(ChunkBatch::documentId)
                .containsExactlyElementsOf(ids.stream().filter(id -> !id.equals(ids.get(3))).toList());
        ConsumerRecord<String, byte[]> dead = read(Topics.DOCUMENTS_DLQ, tenant, 1).getFirst();
        assertThat(dead.key()).isEqualTo(tenant + "/" + ids.get(3));
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("embed");
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_ATTEMPTS)).isEqualTo("1");
    }

    @Test
    void aCorruptFileFailsAtOnceWithItsReason() {
        String tenant = KafkaTestTopics.uniqueTenant();
        byte[] truncatedPdf = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R".getBytes(StandardCharsets.US_ASCII);
        send(DocumentEvent.upsert(tenant, "broken.pdf", 3, null, "application/pdf", List.of("public"), Map.of(),
                Content.ofBytes(truncatedPdf)));

        ConsumerRecord<String, byte[]> dead = read(Topics.DOCUMENTS_DLQ, tenant, 1).getFirst();
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("parse");
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_ATTEMPTS)).isEqualTo("1");
        IngestStatus failed = statuses(tenant, 2).stream().filter(s -> s.state() == IngestState.FAILED).findFirst().orElseThrow();
        assertThat(failed.stage()).isEqualTo("parse");
        assertThat(failed.version()).isEqualTo(3);
        assertThat(failed.reason()).isNotBlank();
    }

    @Test
    void transientEmbeddingFailuresAreRetriedUntilTheyPass() {
        String tenant = KafkaTestTopics.uniqueTenant();
        failuresLeft.put(tenant, new AtomicInteger(2));
        send(DocumentEvent.upsert(tenant, "retry.txt", 1, null, null, List.of("public"), Map.of(),
                Content.ofText("Retried text.")));

        assertThat(chunkBatches(tenant, 1)).hasSize(1);
        assertThat(embedding.calls(tenant)).isEqualTo(3);
        assertThat(read(Topics.DOCUMENTS_DLQ, tenant, 0)).isEmpty();
    }

    @Test
    void transientFailuresThatLastEndInTheDeadLetterTopicAfterTheConfiguredAttempts() {
        String tenant = KafkaTestTopics.uniqueTenant();
        failuresLeft.put(tenant, new AtomicInteger(1000));
        send(DocumentEvent.upsert(tenant, "down.txt", 1, null, null, List.of("public"), Map.of(),
                Content.ofText("Nobody embeds this.")));

        ConsumerRecord<String, byte[]> dead = read(Topics.DOCUMENTS_DLQ, tenant, 1).getFirst();
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_STAGE)).isEqualTo("embed");
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_ATTEMPTS)).isEqualTo("3");
        assertThat(embedding.calls(tenant)).isEqualTo(3);
        assertThat(statuses(tenant, 2)).extracting(IngestStatus::state).contains(IngestState.FAILED);
    }

    @Test
    void redeliveringTheSameVersionPublishesAnIdenticalBatch() {
        String tenant = KafkaTestTopics.uniqueTenant();
        DocumentEvent event = DocumentEvent.upsert(tenant, "same.md", 5, "Same", "text/markdown", List.of("public"),
                Map.of(), Content.ofText("# Same\n\nThe same text, twice."));
        send(event);
        send(event);

        List<ChunkBatch> batches = chunkBatches(tenant, 2);
        assertThat(batches.get(0)).isEqualTo(batches.get(1));
    }

    @Test
    void aDeleteBecomesAChunkDelete() {
        String tenant = KafkaTestTopics.uniqueTenant();
        send(DocumentEvent.delete(tenant, "gone.md", 9));

        ChunkBatch batch = chunkBatches(tenant, 1).getFirst();
        assertThat(batch.operation()).isEqualTo(Operation.DELETE);
        assertThat(batch.version()).isEqualTo(9);
        assertThat(batch.chunks()).isNullOrEmpty();
    }

    @Test
    void fileReferencesAreReadOnlyUnderTheAllowedFolders() throws IOException {
        String tenant = KafkaTestTopics.uniqueTenant();
        Path inside = Files.writeString(ALLOWED.resolve(tenant + ".txt"), "Inside the allowed folder.");
        Path outside = Files.writeString(Files.createTempFile("outside", ".txt"), "Secret outside.");
        send(DocumentEvent.upsert(tenant, "inside", 1, null, null, List.of("public"), Map.of(),
                Content.ofReference(inside.toUri().toString())));
        send(DocumentEvent.upsert(tenant, "outside", 1, null, null, List.of("public"), Map.of(),
                Content.ofReference(outside.toUri().toString())));

        assertThat(chunkBatches(tenant, 1)).extracting(ChunkBatch::documentId).containsExactly("inside");
        ConsumerRecord<String, byte[]> dead = read(Topics.DOCUMENTS_DLQ, tenant, 1).getFirst();
        assertThat(dead.key()).isEqualTo(tenant + "/outside");
        assertThat(KafkaTestTopics.header(dead, DeadLetterHeaders.ERROR_REASON)).contains("outside the folders");
    }

    // --- helpers ---

    /** Document ids whose records land on one partition, so that one consumer polls them together, in order. */
    private static List<String> idsOnOnePartition(String tenant, int count) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; ids.size() < count; n++) {
            String id = "doc-" + n;
            byte[] key = (tenant + "/" + id).getBytes(StandardCharsets.UTF_8);
            if (Utils.toPositive(Utils.murmur2(key)) % PARTITIONS == 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** Sends while the listener is paused, so that its next poll finds all the records at once. */
    private void whilePaused(Runnable sends) {
        MessageListenerContainer container = listeners.getListenerContainer("ingest-documents");
        container.pause();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!container.isContainerPaused()) {
                assertThat(System.nanoTime()).as("the listener pauses within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            // A fetch sent before the pause is answered within fetch.max.wait (500 ms) and may carry a first record.
            Thread.sleep(1000);
            sends.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            container.resume();
        }
    }

    private void send(DocumentEvent event) {
        sendRaw(event.key().asString(), codec.write(event));
    }

    private void sendRaw(String key, byte[] value) {
        new KafkaTestTopics(brokers).send(Topics.DOCUMENTS, key, value);
    }

    private List<ConsumerRecord<String, byte[]>> read(String topic, String tenant, int expected) {
        return new KafkaTestTopics(brokers).read(topic, tenant, expected);
    }

    private List<ChunkBatch> chunkBatches(String tenant, int expected) {
        return read(Topics.CHUNKS, tenant, expected).stream().map(r -> codec.readChunkBatch(r.value())).toList();
    }

    private List<IngestStatus> statuses(String tenant, int expected) {
        return read(Topics.INGEST_STATUS, tenant, expected).stream().map(r -> codec.readIngestStatus(r.value())).toList();
    }

    /** The stand-in's vector for a text: deterministic, so the test can check each chunk got its own. */
    static float[] vectorOf(String text) {
        float[] v = new float[DIMENSION];
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            v[i % DIMENSION] += (b[i] & 0xFF) / 255f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < DIMENSION; i++) {
            v[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return v;
    }

    private static Path createTempDir() {
        try {
            return Files.createTempDirectory("kb-ingest-allowed").toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
