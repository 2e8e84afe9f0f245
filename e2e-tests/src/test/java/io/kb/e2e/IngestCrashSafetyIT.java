package io.kb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.kb.cli.ingest.DocumentPublisher;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.ManagedProcess;
import io.kb.cli.stack.StackListener;
import io.kb.cli.stack.StackPorts;
import io.kb.cli.stack.StackState;
import io.kb.contracts.Topics;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;
import io.kb.contracts.event.Operation;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ingest-service killed with SIGKILL in the middle of a stream of documents, then restarted: every document
 * version still reaches {@code kb.chunks.v1} and the index, and a batch delivered again (its offset was not yet
 * committed when the process died) is the same batch, chunk id for chunk id. That is what the service promises by
 * committing an offset only after Kafka acknowledged the document's batch, with deterministic chunk ids.
 */
class IngestCrashSafetyIT {

    private static final String TENANT = "crash";
    /** As many as the issue asks for; fewer with {@code -Dkb.crash.documents=300} for a quicker look. */
    private static final int DOCUMENTS = Integer.getInteger("kb.crash.documents", 1000);
    private static final double CRASH_AFTER = 0.20;
    private static final double CRASH_BEFORE = 0.80;

    private static LocalStack stack;
    private static final List<ManagedProcess> everStarted = new ArrayList<>();

    @BeforeAll
    static void startStack() throws IOException {
        Path root = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize();
        Path home = root.resolve("e2e-tests/target/crash-stack-home");
        stack = new LocalStack(root, home, StackPorts.ephemeral());
        // A fresh broker and index each run, so that reading the topics from the beginning sees only this run.
        stack.stop(StackListener.SILENT);
        deleteRecursively(home);
        StackState started = stack.start(StackListener.SILENT, Duration.ofMinutes(4));
        everStarted.addAll(started.processes());
    }

    @AfterAll
    static void stopStack() {
        if (stack == null) {
            return;
        }
        stack.stop(StackListener.SILENT);
        assertThat(stack.running()).isEmpty();
        assertThat(everStarted).as("every process the stack or the restart started").noneMatch(ManagedProcess::isAlive);
    }

    @Test
    void killedMidStreamIngestPublishesEveryDocumentVersionAgainIdenticallyAndIndexesAll() {
        List<DocumentEvent> documents = IntStream.range(0, DOCUMENTS).mapToObj(IngestCrashSafetyIT::document).toList();
        Set<String> expected = new LinkedHashSet<>();
        documents.forEach(d -> expected.add(versionKey(d.documentId(), d.version())));

        try (TopicsFromTheStart topics = new TopicsFromTheStart(stack.bootstrapServers())) {
            long t0 = System.nanoTime();
            try (DocumentPublisher publisher = new DocumentPublisher(stack.bootstrapServers())) {
                publisher.publish(documents);
            }
            long published = System.nanoTime();
            System.out.printf("[crash] published %d documents in %d ms%n", DOCUMENTS, millis(t0, published));

            // 1. Wait until ingest-service is in the middle of the stream.
            int threshold = (int) Math.ceil(DOCUMENTS * CRASH_AFTER);
            topics.readUntil(() -> topics.versionsWithBatch(expected) >= threshold, Duration.ofMinutes(5));
            int before = topics.versionsWithBatch(expected);
            int batchesBefore = topics.batchCount();
            assertThat(before).as("documents with a batch when ingest-service is killed: ingestion ran past %d%%"
                            + " before the kill; raise -Dkb.crash.documents", (int) (CRASH_BEFORE * 100))
                    .isGreaterThanOrEqualTo(threshold).isLessThan((int) (DOCUMENTS * CRASH_BEFORE));

            // 2. Kill it hard and start it again.
            long killed = System.nanoTime();
            ManagedProcess restarted = stack.crashAndRestart("ingest-service", Duration.ofMinutes(2));
            everStarted.add(restarted);
            System.out.printf("[crash] killed ingest-service with %d of %d documents batched; ready again after %d ms%n",
                    before, DOCUMENTS, millis(killed, System.nanoTime()));

            // 3. Every document version gets its batch, and the indexer reports every one INDEXED.
            topics.readUntil(() -> topics.versionsWithBatch(expected) == expected.size()
                    && topics.indexed(expected) == expected.size(), Duration.ofMinutes(10));
            long done = System.nanoTime();

            Map<String, List<ChunkBatch>> batches = topics.batchesOf(expected);
            assertThat(batches.keySet()).as("document versions without a chunk batch")
                    .containsExactlyInAnyOrderElementsOf(expected);
            batches.forEach((key, copies) -> {
                ChunkBatch first = copies.getFirst();
                assertThat(first.operation()).as(key).isEqualTo(Operation.UPSERT);
                assertThat(ids(first)).as("chunk ids of " + key).isEqualTo(IntStream.range(0, first.chunks().size())
                        .mapToObj(i -> ChunkIds.of(TENANT, first.documentId(), first.version(), i)).toList());
                copies.forEach(copy -> {
                    assertThat(ids(copy)).as("chunk ids of a redelivered batch of " + key).isEqualTo(ids(first));
                    assertThat(texts(copy)).as("chunk texts of a redelivered batch of " + key).isEqualTo(texts(first));
                });
            });
            assertThat(topics.failed()).as("documents that failed").isEmpty();
            assertThat(topics.indexed(expected)).as("documents INDEXED").isEqualTo(expected.size());

            int redelivered = batches.values().stream().mapToInt(c -> c.size() - 1).sum();
            Map<Integer, Long> chunksPerDocument = new TreeMap<>();
            batches.values().forEach(c -> chunksPerDocument.merge(c.getFirst().chunks().size(), 1L, Long::sum));
            System.out.printf("[crash] all %d documents batched and INDEXED %d ms after publishing started"
                            + " (%d after the kill); %d batches on the topic, %d before the kill;"
                            + " %d redelivered after the crash, all identical; chunks per document: %s%n",
                    DOCUMENTS, millis(t0, done), millis(killed, done), topics.batchCount(), batchesBefore, redelivered,
                    chunksPerDocument);
        }
    }

    /**
     * A small, distinct text document: most are a few sentences (one short chunk, quick to embed, so that 1,000 of
     * them fit the CI's time), every tenth is long enough for two or three chunks of 400 tokens.
     */
    private static DocumentEvent document(int n) {
        Random random = new Random(n);
        String[] subjects = {"The travel policy", "The onboarding guide", "The security standard", "The expense rule",
                "The leave handbook", "The procurement process", "The incident runbook", "The data retention plan"};
        String[] verbs = {"requires", "describes", "limits", "explains", "allows", "defines", "reviews", "covers"};
        String[] objects = {"approval by a manager", "receipts for every purchase", "encryption of laptops",
                "rotation of on-call duty", "archiving after seven years", "booking through the portal",
                "two weeks of notice", "a written justification", "quarterly access reviews", "a signed contract"};
        StringBuilder text = new StringBuilder("Document " + n + " of the crash test\n\n");
        // Most documents fit one chunk; every tenth is long enough for two or three, so that ordinals past 0 occur.
        boolean longer = n % 10 == 0;
        int paragraphs = longer ? 4 + random.nextInt(2) : 1 + random.nextInt(2);
        for (int p = 0; p < paragraphs; p++) {
            int sentences = longer ? 5 + random.nextInt(3) : 2 + random.nextInt(2);
            for (int s = 0; s < sentences; s++) {
                text.append(subjects[random.nextInt(subjects.length)]).append(" of unit ").append(n % 97)
                        .append(' ').append(verbs[random.nextInt(verbs.length)]).append(' ')
                        .append(objects[random.nextInt(objects.length)]).append(" in case ")
                        .append(random.nextInt(10_000)).append(". ");
            }
            text.append("\n\n");
        }
        return DocumentEvent.upsert(TENANT, "doc-" + n, 1, "Crash test document " + n, "text/plain",
                List.of("public"), Map.of("suite", "crash-safety"), Content.ofText(text.toString()));
    }

    private static List<String> ids(ChunkBatch batch) {
        return batch.chunks().stream().map(Chunk::id).toList();
    }

    private static List<String> texts(ChunkBatch batch) {
        return batch.chunks().stream().map(Chunk::text).toList();
    }

    private static String versionKey(String documentId, long version) {
        return documentId + "@" + version;
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * Reads {@code kb.chunks.v1} and {@code kb.ingest.status.v1} of the crash tenant from the beginning, without a
     * consumer group (it commits nothing and disturbs no service), keeping every chunk batch as delivered and every
     * document version that was reported INDEXED or FAILED.
     */
    private static final class TopicsFromTheStart implements AutoCloseable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final EventCodec codec = new EventCodec();
        private final Map<String, List<ChunkBatch>> batches = new HashMap<>();
        private final Set<String> indexed = new LinkedHashSet<>();
        private final Map<String, String> failed = new LinkedHashMap<>();
        private int batchCount;

        TopicsFromTheStart(String bootstrapServers) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "e2e-crash-safety");
            consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = Stream.of(Topics.CHUNKS, Topics.INGEST_STATUS)
                    .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(15)).stream())
                    .map(i -> new TopicPartition(i.topic(), i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /** Reads until the condition holds; fails when the time is up. */
        void readUntil(BooleanSupplier condition, Duration timeout) {
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            long lastReport = start;
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.printf("[crash] %d s: %d batches, %d INDEXED%n", millis(start, lastReport) / 1000,
                            batchCount, indexed.size());
                }
                assertThat(System.nanoTime()).as("still waiting after %s: %d batches, %d INDEXED, failed %s",
                        timeout, batchCount, indexed.size(), failed).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() != null && r.key() != null && r.key().startsWith(TENANT + "/")) {
                        read(r);
                    }
                }
            }
        }

        private void read(ConsumerRecord<String, byte[]> r) {
            if (r.topic().equals(Topics.CHUNKS)) {
                ChunkBatch b = codec.readChunkBatch(r.value());
                batches.computeIfAbsent(versionKey(b.documentId(), b.version()), k -> new ArrayList<>()).add(b);
                batchCount++;
            } else {
                IngestStatus s = codec.readIngestStatus(r.value());
                String key = versionKey(s.documentId(), s.version());
                if (s.state() == IngestState.INDEXED) {
                    indexed.add(key);
                } else if (s.state() == IngestState.FAILED) {
                    failed.put(key, s.stage() + ": " + s.reason());
                }
            }
        }

        int versionsWithBatch(Set<String> expected) {
            return (int) expected.stream().filter(batches::containsKey).count();
        }

        int indexed(Set<String> expected) {
            return (int) expected.stream().filter(indexed::contains).count();
        }

        int batchCount() {
            return batchCount;
        }

        Map<String, String> failed() {
            return failed;
        }

        Map<String, List<ChunkBatch>> batchesOf(Set<String> expected) {
            Map<String, List<ChunkBatch>> of = new LinkedHashMap<>();
            expected.stream().filter(batches::containsKey).forEach(k -> of.put(k, batches.get(k)));
            return of;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
