package io.kb.retrieval.index;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;

/**
 * Builds the {@link ChunkBatch}es of the chunk index tests: one document version with its ACL,
 * metadata and chunks. A chunk without an explicit vector gets one derived from its text, so the same
 * text always has the same vector.
 */
final class TestDocument {

    static final int DIMENSION = 8;
    static final EmbeddingInfo MODEL = new EmbeddingInfo("test-model", DIMENSION);

    private final String tenant;
    private final String documentId;
    private long version = 1;
    private String title;
    private List<String> acl = List.of("public");
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private EmbeddingInfo embedding = MODEL;
    private final List<String> texts = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();

    private TestDocument(String tenant, String documentId) {
        this.tenant = tenant;
        this.documentId = documentId;
        this.title = "Title of " + documentId;
    }

    static TestDocument doc(String tenant, String documentId) {
        return new TestDocument(tenant, documentId);
    }

    static ChunkBatch delete(String tenant, String documentId, long version) {
        return ChunkBatch.delete(tenant, documentId, version);
    }

    TestDocument version(long newVersion) {
        this.version = newVersion;
        return this;
    }

    TestDocument title(String newTitle) {
        this.title = newTitle;
        return this;
    }

    TestDocument acl(String... principals) {
        this.acl = List.of(principals);
        return this;
    }

    TestDocument meta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    TestDocument embedding(EmbeddingInfo newEmbedding) {
        this.embedding = newEmbedding;
        return this;
    }

    TestDocument chunk(String text) {
        return chunk(text, vectorOf(text, embedding.dimension()));
    }

    TestDocument chunk(String text, float[] vector) {
        texts.add(text);
        vectors.add(vector);
        return this;
    }

    ChunkBatch build() {
        List<Chunk> chunks = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            chunks.add(new Chunk(ChunkIds.of(tenant, documentId, version, i), i, text, vectors.get(i),
                    List.of("Chapter " + (i / 2 + 1), "Section " + (i + 1)), i + 1, offset, offset + text.length()));
            offset += text.length() + 1;
        }
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, tenant, documentId, version, title,
                "test://" + documentId, null, acl, metadata, embedding, chunks);
    }

    /** A vector of the dimension, the same for the same text. */
    static float[] vectorOf(String text, int dimension) {
        return randomVector(new Random(text.hashCode()), dimension);
    }

    static float[] randomVector(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return vector;
    }

    /** A unit vector along one axis. */
    static float[] axis(int index) {
        float[] vector = new float[DIMENSION];
        vector[index] = 1f;
        return vector;
    }

    /** A vector near {@code base}: the base plus a small push along another axis. */
    static float[] near(float[] base, int axis, float amount) {
        float[] vector = base.clone();
        vector[axis] += amount;
        return vector;
    }
}
