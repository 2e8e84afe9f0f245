package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import org.junit.jupiter.api.Test;

class ChunkBatchTest {

    private static final EmbeddingInfo EMBEDDING = new EmbeddingInfo("test-model", 2);

    @Test
    void upsertTakesTheDocumentFieldsFromItsEvent() {
        DocumentEvent document = DocumentEvent.upsert("acme", "a/b", 5, "Title", null, List.of("group:hr"),
                Map.of("k", "v"), Content.ofText("First. Second.")).withSource("https://wiki.example.com/a/b");

        ChunkBatch batch = ChunkBatch.upsert(document, "text/plain", EMBEDDING, chunks("acme", "a/b", 5, 2));

        assertThat(batch.tenant()).isEqualTo("acme");
        assertThat(batch.documentId()).isEqualTo("a/b");
        assertThat(batch.version()).isEqualTo(5);
        assertThat(batch.title()).isEqualTo("Title");
        assertThat(batch.source()).isEqualTo("https://wiki.example.com/a/b");
        assertThat(batch.mediaType()).isEqualTo("text/plain");
        assertThat(batch.acl()).containsExactly("group:hr");
        assertThat(batch.metadata()).containsEntry("k", "v");
        assertThat(batch.topic()).isEqualTo(Topics.CHUNKS);
    }

    @Test
    void upsertRefusesADeleteEvent() {
        assertThatIllegalArgumentException().isThrownBy(() ->
                ChunkBatch.upsert(DocumentEvent.delete("acme", "a", 1), null, EMBEDDING, chunks("acme", "a", 1, 1)));
    }

    @Test
    void upsertNeedsAtLeastOneChunk() {
        assertViolation(() -> batch(List.of()), "chunks");
    }

    @Test
    void upsertNeedsTheEmbedding() {
        assertViolation(() -> new ChunkBatch(1, Operation.UPSERT, "acme", "a", 1, null, null, null, List.of("public"), null,
                null, chunks("acme", "a", 1, 1)), "embedding");
    }

    @Test
    void ordinalsMustRunFromZeroInOrder() {
        List<Chunk> chunks = new ArrayList<>(chunks("acme", "a", 1, 3));
        chunks.remove(1);

        assertViolation(() -> batch(chunks), "chunks[1].ordinal");
    }

    @Test
    void everyVectorMustHaveTheEmbeddingDimension() {
        List<Chunk> chunks = new ArrayList<>(chunks("acme", "a", 1, 2));
        chunks.set(1, new Chunk(ChunkIds.of("acme", "a", 1, 1), 1, "text", new float[] {1, 2, 3}, null, null, 0, 4));

        assertViolation(() -> batch(chunks), "chunks[1].vector");
    }

    @Test
    void everyIdMustBeDerivedFromTheDocumentVersionAndOrdinal() {
        List<Chunk> fromAnotherVersion = chunks("acme", "a", 2, 1);

        assertViolation(() -> batch(fromAnotherVersion), "chunks[0].id");
    }

    @Test
    void deleteCarriesNoChunksEmbeddingOrAcl() {
        ChunkBatch delete = ChunkBatch.delete("acme", "a", 3);

        assertThat(delete.operation()).isEqualTo(Operation.DELETE);
        assertThat(delete.chunks()).isEmpty();
        assertThat(delete.embedding()).isNull();
        assertThat(delete.acl()).isEmpty();
        assertViolation(() -> new ChunkBatch(1, Operation.DELETE, "acme", "a", 1, null, null, null, null, null, EMBEDDING,
                null), "embedding");
        assertViolation(() -> new ChunkBatch(1, Operation.DELETE, "acme", "a", 1, null, null, null, null, null, null,
                chunks("acme", "a", 1, 1)), "chunks");
    }

    @Test
    void chunksWithEqualVectorsAreEqual() {
        Chunk one = new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {0.5f, 1f}, List.of("H"), 2, 0, 4);
        Chunk same = new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {0.5f, 1f}, List.of("H"), 2, 0, 4);
        Chunk otherVector = new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {0.5f, 2f}, List.of("H"), 2, 0, 4);

        assertThat(one).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(otherVector);
    }

    @Test
    void aChunksVectorCannotBeChangedFromOutside() {
        float[] vector = {0.5f, 1f};
        Chunk chunk = new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", vector, null, null, 0, 4);

        vector[0] = 9f;
        chunk.vector()[1] = 9f;

        assertThat(chunk.vector()).containsExactly(0.5f, 1f);
    }

    @Test
    void chunkToStringShowsTheVectorLengthNotItsNumbers() {
        Chunk chunk = new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {0.123456f, 1f}, null, null, 0, 4);

        assertThat(chunk.toString()).contains("float[2]").doesNotContain("0.123456");
    }

    @Test
    void chunkRejectsNonFiniteNumbers() {
        assertThatThrownBy(() -> new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {1f, Float.NaN}, null, null, 0, 4))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("vector[1]"));
    }

    @Test
    void chunkRejectsAnEndBeforeItsStart() {
        assertThatThrownBy(() -> new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {1f}, null, null, 5, 4))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("endOffset"));
    }

    @Test
    void chunkRejectsPageZero() {
        assertThatThrownBy(() -> new Chunk(ChunkIds.of("acme", "a", 1, 0), 0, "text", new float[] {1f}, null, 0, 0, 4))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("page"));
    }

    @Test
    void embeddingDimensionIsBetweenOneAnd8192() {
        assertThat(new EmbeddingInfo("m", 8192).dimension()).isEqualTo(8192);
        assertThatThrownBy(() -> new EmbeddingInfo("m", 8193)).isInstanceOf(ContractViolationException.class);
        assertThatThrownBy(() -> new EmbeddingInfo("m", 0)).isInstanceOf(ContractViolationException.class);
    }

    private static ChunkBatch batch(List<Chunk> chunks) {
        return new ChunkBatch(1, Operation.UPSERT, "acme", "a", 1, null, null, null, List.of("public"), null, EMBEDDING, chunks);
    }

    private static List<Chunk> chunks(String tenant, String documentId, long version, int count) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new Chunk(ChunkIds.of(tenant, documentId, version, i), i, "chunk " + i, new float[] {i, 1}, null, null,
                    i * 10, i * 10 + 7));
        }
        return chunks;
    }

    private static void assertViolation(Runnable build, String field) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
