package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.kb.contracts.SupportedMediaTypes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Records built in Java, written by the codec, must satisfy the published schema and read back equal:
 * what Java producers write, producers in other languages could have written.
 */
class RoundTripThroughSchemaTest {

    private static final EventCodec CODEC = new EventCodec();

    static Stream<Arguments> documentEvents() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("department", "hr");
        metadata.put("review.due", "2026-01-01");
        return Stream.of(
                Arguments.of("english text", DocumentEvent.upsert("acme", "handbook/leave", 7, "Leave policy", "text/markdown",
                        List.of("group:hr", "user:alice"), metadata, Content.ofText("# Leave\n\nEveryone gets 25 days."))),
                Arguments.of("chinese text", DocumentEvent.upsert("zh", "制度/请假规定.md", 1, "请假规定", "text/plain; charset=utf-8",
                        List.of("group:人事部", "user:张三"), Map.of("lang", "中文"),
                        Content.ofText("员工每年享有二十五天带薪年假。\n请提前两周申请。😀"))
                        .withOccurredAt(Instant.parse("2025-05-01T12:00:00.123456789Z"))),
                Arguments.of("bytes", DocumentEvent.upsert("acme", "a", 0, null, "application/pdf", List.of("public"), null,
                        Content.ofBytes(new byte[] {0, 1, 2, (byte) 0xff, 0x7f}))
                        .withSource("https://intranet.example.com/a.pdf")),
                Arguments.of("s3 reference", DocumentEvent.upsert("acme", "reports/2024.docx", Long.MAX_VALUE, "Annual report",
                        SupportedMediaTypes.DOCX.value(), List.of("group:board"), null,
                        Content.ofReference("s3://acme-docs/reports/2024.docx"))),
                Arguments.of("file reference without media type", DocumentEvent.upsert("acme", "specs/design v2", 3, null, null,
                        List.of("user:bob@example.com"), null, Content.ofReference("file:///srv/specs/design%20v2.docx"))),
                Arguments.of("delete", DocumentEvent.delete("acme", "handbook/leave", 8)
                        .withOccurredAt(Instant.parse("2025-05-02T08:30:00Z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentEvents")
    void documentEventsWrittenByTheCodecSatisfyTheSchemaAndReadBackEqual(String shape, DocumentEvent event) {
        assertRoundTrip("document-event", event, CODEC::readDocumentEvent);
    }

    static Stream<Arguments> chunkBatches() {
        DocumentEvent chinese = DocumentEvent.upsert("zh", "制度/手册.pdf", 4, "员工手册", null, List.of("public"),
                Map.of("lang", "zh-CN"), Content.ofReference("https://example.cn/docs/manual.pdf"));
        EmbeddingInfo embedding = new EmbeddingInfo("bge-small-zh-v1.5", 3);
        List<Chunk> chunks = List.of(
                new Chunk(ChunkIds.of("zh", "制度/手册.pdf", 4, 0), 0, "员工每年享有二十五天带薪年假。",
                        new float[] {0.1f, -0.2f, 3.4028235e38f}, List.of("第一章", "年假"), 1, 0, 15),
                new Chunk(ChunkIds.of("zh", "制度/手册.pdf", 4, 1), 1, "请提前两周申请。",
                        new float[] {1e-30f, 0f, -1f}, List.of(), 2, 15, 23));
        return Stream.of(
                Arguments.of("upsert", ChunkBatch.upsert(chinese, "application/pdf", embedding, chunks)),
                Arguments.of("delete", ChunkBatch.delete("acme", "handbook/leave", 9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkBatches")
    void chunkBatchesWrittenByTheCodecSatisfyTheSchemaAndReadBackEqual(String shape, ChunkBatch batch) {
        assertRoundTrip("chunk-batch", batch, CODEC::readChunkBatch);
    }

    static Stream<Arguments> ingestStatuses() {
        Instant at = Instant.parse("2025-05-01T12:00:05.500Z");
        return Stream.of(
                Arguments.of("received", IngestStatus.received("acme", "a/b", 1, at)),
                Arguments.of("indexed", IngestStatus.indexed("acme", "a/b", 1, 12, at)),
                Arguments.of("failed", IngestStatus.failed("zh", "制度/手册.pdf", 2, IngestStages.FETCH, "无法下载：连接超时", at)),
                Arguments.of("deleted", IngestStatus.deleted("acme", "a/b", 3, at)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingestStatuses")
    void ingestStatusesWrittenByTheCodecSatisfyTheSchemaAndReadBackEqual(String shape, IngestStatus status) {
        assertRoundTrip("ingest-status", status, CODEC::readIngestStatus);
    }

    private static <T extends ContractEvent> void assertRoundTrip(String schema, T event, Function<byte[], T> read) {
        byte[] json = CODEC.write(event);
        assertThat(ContractSchemas.errors(schema, new String(json, StandardCharsets.UTF_8))).isEmpty();
        assertThat(read.apply(json)).isEqualTo(event);
    }
}
