package io.kb.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.kb.cli.KbCommand;
import io.kb.cli.stack.TestBroker;
import io.kb.contracts.Topics;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStatus;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kb ingest} against a real Kafka broker (a separate process, started as {@code kb up} starts it). The test
 * reads what the command published and answers with statuses, as ingest-service and the indexer will.
 */
class IngestCommandIT {

    @TempDir
    static Path home;

    private static TestBroker broker;
    private final EventCodec codec = new EventCodec();

    @BeforeAll
    static void startBroker() {
        broker = new TestBroker(home);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void publishesEveryFileAndReportsIndexedAndFailedDocumentsWithTheirReasons(@TempDir Path docs) throws Exception {
        String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(docs.resolve("leave.md"), "# Annual leave\n25 days.");
        Files.writeString(docs.resolve("travel.txt"), "Economy class under 6 hours.");
        Files.writeString(docs.resolve("broken.pdf"), "%PDF-1.4 truncated");

        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> kb("ingest", docs.toString(),
                "--tenant", tenant, "--acl", "public,group:hr", "--id-prefix", "hb/",
                "--bootstrap-servers", broker.bootstrapServers(), "--timeout", "60s"));

        List<DocumentEvent> published = readDocuments(tenant, 3);
        assertThat(published).extracting(DocumentEvent::documentId)
                .containsExactlyInAnyOrder("hb/leave.md", "hb/travel.txt", "hb/broken.pdf");
        assertThat(published).allSatisfy(e -> {
            assertThat(e.acl()).containsExactly("public", "group:hr");
            assertThat(e.content().inlineBytes()).isEqualTo(Files.readAllBytes(docs.resolve(e.documentId().substring(3))));
        });
        for (DocumentEvent e : published) {
            IngestStatus status = e.documentId().endsWith(".pdf")
                    ? IngestStatus.failed(tenant, e.documentId(), e.version(), "parse", "corrupt: truncated PDF", Instant.now())
                    : IngestStatus.indexed(tenant, e.documentId(), e.version(), 2, Instant.now());
            sendStatus(status);
        }

        Run result = run.get(90, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("Indexed 2 of 3 documents; 1 failed; 0 still pending.")
                .contains("failed  hb/broken.pdf: corrupt: truncated PDF");
    }

    @Test
    void aStatusOfAnOlderVersionDoesNotCount(@TempDir Path docs) throws Exception {
        String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(docs.resolve("a.txt"), "text");

        CompletableFuture<Run> run = CompletableFuture.supplyAsync(() -> kb("ingest", docs.toString(),
                "--tenant", tenant, "--acl", "public", "--bootstrap-servers", broker.bootstrapServers(),
                "--timeout", "5s"));
        DocumentEvent e = readDocuments(tenant, 1).getFirst();
        sendStatus(IngestStatus.indexed(tenant, e.documentId(), e.version() - 1, 1, Instant.now()));

        Run result = run.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.out()).contains("1 still pending").contains("pending " + tenant + "/a.txt");
    }

    @Test
    void noWaitReturnsOnceKafkaHasTheEvents(@TempDir Path docs) throws Exception {
        String tenant = "t" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(docs.resolve("one.txt"), "one");

        Run result = kb("ingest", docs.toString(), "--tenant", tenant, "--acl", "group:finance", "--no-wait",
                "--bootstrap-servers", broker.bootstrapServers());

        assertThat(result.exitCode()).isZero();
        assertThat(readDocuments(tenant, 1)).extracting(DocumentEvent::documentId).containsExactly("one.txt");
    }

    @Test
    void aBadPrincipalIsRefusedBeforeAnythingIsPublished(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("one.txt"), "one");

        Run result = kb("ingest", docs.toString(), "--tenant", "aurora", "--acl", "everyone",
                "--bootstrap-servers", broker.bootstrapServers());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("acl").doesNotContain("Exception");
    }

    private record Run(int exitCode, String out, String err) {
    }

    /** Runs the command in this JVM, capturing what it prints. */
    private static synchronized Run kb(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            var cli = KbCommand.commandLine();
            cli.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
        }
    }

    /** The documents of a tenant on kb.documents.v1, read as ingest-service would read them. */
    private List<DocumentEvent> readDocuments(String tenant, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DocumentEvent> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.DOCUMENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (found.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key().startsWith(tenant + "/")) {
                        DocumentEvent e = codec.readDocumentEvent(r.value());
                        assertThat(r.key()).isEqualTo(e.key().asString());
                        found.add(e);
                    }
                }
            }
        }
        assertThat(found).hasSize(expected);
        return found;
    }

    private void sendStatus(IngestStatus status) throws Exception {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INGEST_STATUS, status.key().asString(), codec.write(status))).get();
        }
    }
}
