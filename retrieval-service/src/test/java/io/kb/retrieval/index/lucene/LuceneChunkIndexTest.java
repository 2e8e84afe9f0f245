package io.kb.retrieval.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.ChunkIndexContract;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.PartialApplyException;
import io.kb.retrieval.index.SearchRequest;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.SegmentInfos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on Lucene in a temporary directory, plus what only an index on local disk does. */
class LuceneChunkIndexTest extends ChunkIndexContract {

    private static final Caller READER = Caller.of(ACME, "alice", List.of());

    @TempDir
    Path temp;

    private final AtomicInteger indexes = new AtomicInteger();

    @Override
    protected ChunkIndex createIndex() {
        return new LuceneChunkIndex(temp.resolve("index-" + indexes.incrementAndGet()));
    }

    @Test
    void committedChunksSurviveCloseAndReopen() {
        Path path = temp.resolve("reopened");
        try (LuceneChunkIndex first = new LuceneChunkIndex(path)) {
            first.apply(batch("handbook", 3, "durable words"));
        }

        try (LuceneChunkIndex second = new LuceneChunkIndex(path)) {
            assertThat(second.search(READER, SearchRequest.bm25("durable", 5)))
                    .extracting(ChunkHit::documentId).containsExactly("handbook");
            assertThat(second.search(READER, SearchRequest.dense(vector(1), 5))).hasSize(1);
            assertThat(second.storedVersion(ACME, "handbook")).contains(3L);
            assertThat(second.stats().embedding()).isEqualTo(new EmbeddingInfo("m", 4));
            assertThat(second.apply(batch("handbook", 2, "older")).outcome())
                    .isEqualTo(io.kb.retrieval.index.ApplyResult.Outcome.STALE);
        }
    }

    @Test
    void committedChunksSurviveAProcessThatNeverClosedTheIndex() throws IOException {
        Path path = temp.resolve("crashed");
        LuceneChunkIndex crashed = new LuceneChunkIndex(path);
        try {
            crashed.apply(batch("first", 1, "committed before the crash"));
            crashed.apply(batch("second", 1, "also committed"));
            crashed.apply(ChunkBatch.delete(ACME, "first", 2));

            // What a killed process leaves on disk: the files as they are, without a close.
            Path copy = temp.resolve("crashed-copy");
            Files.createDirectories(copy);
            try (Stream<Path> files = Files.list(path)) {
                for (Path file : files.filter(f -> !f.getFileName().toString().equals(IndexWriter.WRITE_LOCK_NAME)).toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            try (LuceneChunkIndex recovered = new LuceneChunkIndex(copy)) {
                assertThat(recovered.search(READER, SearchRequest.bm25("committed", 5)))
                        .extracting(ChunkHit::documentId).containsExactly("second");
                assertThat(recovered.storedVersion(ACME, "first")).contains(2L);
                assertThat(recovered.stats().chunkCount()).isEqualTo(1);
            }
        } finally {
            crashed.close();
        }
    }

    @Test
    void theEmbeddingOfTheIndexSurvivesReopen() {
        Path path = temp.resolve("model");
        try (LuceneChunkIndex first = new LuceneChunkIndex(path)) {
            first.apply(batch("handbook", 1, "text"));
        }

        try (LuceneChunkIndex second = new LuceneChunkIndex(path)) {
            ChunkBatch otherModel = new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, "new", 1, null,
                    null, null, List.of("public"), null, new EmbeddingInfo("other", 4),
                    List.of(chunk("new", 1, 0, "text", vector(2))));
            assertThatThrownBy(() -> second.apply(otherModel)).isInstanceOf(EmbeddingMismatchException.class);
        }
    }

    @Test
    void refusesADirectoryThatAnotherIndexHolds() {
        Path path = temp.resolve("held");
        try (LuceneChunkIndex holder = new LuceneChunkIndex(path)) {
            assertThatThrownBy(() -> new LuceneChunkIndex(path))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(path.toString());
        }
    }

    @Test
    void acceptsVectorsWiderThanLucenesDefaultLimit() {
        int dimension = 1536;
        Random random = new Random(42);
        float[] target = new float[dimension];
        float[] other = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            target[i] = (float) random.nextGaussian();
            other[i] = (float) random.nextGaussian();
        }
        Path path = temp.resolve("wide");
        try (LuceneChunkIndex index = new LuceneChunkIndex(path)) {
            EmbeddingInfo wide = new EmbeddingInfo("text-embedding-3-small", dimension);
            index.apply(new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, "wide", 1, null, null, null,
                    List.of("public"), null, wide,
                    List.of(chunk("wide", 1, 0, "target", target), chunk("wide", 1, 1, "other", other))));
        }
        try (LuceneChunkIndex reopened = new LuceneChunkIndex(path)) {
            assertThat(reopened.search(READER, SearchRequest.dense(target, 1)))
                    .extracting(ChunkHit::text).containsExactly("target");
        }
    }

    @Test
    void refusesAZeroVectorNamingTheChunk() {
        try (LuceneChunkIndex index = new LuceneChunkIndex(temp.resolve("zero"))) {
            ChunkBatch zero = new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, "zero", 1, null, null,
                    null, List.of("public"), null, new EmbeddingInfo("m", 4),
                    List.of(chunk("zero", 1, 0, "fine", vector(0)), chunk("zero", 1, 1, "empty", new float[4])));

            assertThatThrownBy(() -> index.apply(zero))
                    .isInstanceOf(ContractViolationException.class)
                    .hasMessageStartingWith("chunks[1].vector");
            assertThat(index.storedVersion(ACME, "zero")).isEmpty();
            assertThat(index.stats().embedding()).isNull();
        }
    }

    @Test
    void applyAllCommitsOnceForAllItsBatches() throws IOException {
        Path path = temp.resolve("one-commit");
        try (LuceneChunkIndex index = new LuceneChunkIndex(path)) {
            index.apply(batch("first", 1, "one commit"));
            long before = commitGeneration(path);

            index.applyAll(List.of(batch("a", 1, "alpha"), batch("b", 1, "beta"), batch("a", 2, "gamma"),
                    ChunkBatch.delete(ACME, "first", 2)));
            assertThat(commitGeneration(path)).isEqualTo(before + 1);

            index.applyAll(List.of(batch("a", 1, "stale"), ChunkBatch.delete(ACME, "first", 1)));
            index.apply(batch("a", 1, "stale"));
            assertThat(commitGeneration(path)).as("stale batches write nothing").isEqualTo(before + 1);

            index.apply(batch("c", 1, "delta"));
            index.apply(batch("d", 1, "epsilon"));
            assertThat(commitGeneration(path)).as("one commit per single apply").isEqualTo(before + 3);
        }
    }

    @Test
    void applyAllCommitsTheBatchesBeforeAChunkThatCannotBeIndexed() {
        Path path = temp.resolve("partial");
        ChunkBatch zero = new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, "zero", 1, null, null,
                null, List.of("public"), null, new EmbeddingInfo("m", 4),
                List.of(chunk("zero", 1, 0, "fine", vector(0)), chunk("zero", 1, 1, "empty", new float[4])));
        LuceneChunkIndex crashed = new LuceneChunkIndex(path);
        try {
            assertThatThrownBy(() -> crashed.applyAll(List.of(batch("before", 1, "durable"), zero,
                    batch("after", 1, "never"))))
                    .isInstanceOfSatisfying(PartialApplyException.class, e -> {
                        assertThat(e.failedIndex()).isEqualTo(1);
                        assertThat(e.getCause()).isInstanceOf(ContractViolationException.class)
                                .hasMessageStartingWith("chunks[1].vector");
                    });

            // Committed, not only visible: a copy of the files without a close holds the first batch.
            Path copy = temp.resolve("partial-copy");
            copyWithoutLock(path, copy);
            try (LuceneChunkIndex recovered = new LuceneChunkIndex(copy)) {
                assertThat(recovered.storedVersion(ACME, "before")).contains(1L);
                assertThat(recovered.storedVersion(ACME, "zero")).isEmpty();
                assertThat(recovered.storedVersion(ACME, "after")).isEmpty();
                assertThat(recovered.stats().chunkCount()).isEqualTo(1);
            }
        } finally {
            crashed.close();
        }
    }

    private static long commitGeneration(Path path) throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return SegmentInfos.getLastCommitGeneration(files.map(f -> f.getFileName().toString())
                    .toArray(String[]::new));
        }
    }

    private static void copyWithoutLock(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.filter(f -> !f.getFileName().toString().equals(IndexWriter.WRITE_LOCK_NAME)).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void refusesCallsAfterClose() {
        LuceneChunkIndex index = new LuceneChunkIndex(temp.resolve("closed"));
        index.close();
        index.close();

        assertThatThrownBy(() -> index.search(READER, SearchRequest.bm25("x", 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.apply(batch("d", 1, "x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anIndexWrittenWithOneEncodingOpensSearchesAndMergesWithAnother() {
        Path path = temp.resolve("mixed");
        try (LuceneChunkIndex int8 = new LuceneChunkIndex(path,
                LuceneIndexSettings.DEFAULTS.withVectorEncoding(VectorEncoding.INT8))) {
            int8.apply(batch("quantized", 1, "written as int8", vector(0)));
        }

        try (LuceneChunkIndex float32 = new LuceneChunkIndex(path, LuceneIndexSettings.DEFAULTS)) {
            float32.apply(batch("plain", 1, "written as float32", vector(1)));

            assertThat(float32.segmentCount()).isEqualTo(2);
            List<ChunkHit> hits = float32.search(READER, SearchRequest.dense(vector(0), 2));
            assertThat(hits).extracting(ChunkHit::documentId).containsExactly("quantized", "plain");
            // The int8 segment's hit is re-scored with its vector although the index now writes float32.
            assertThat(hits.get(0).score()).isCloseTo(1f, within(1e-6f));
            float32.forceMerge(1);
            assertThat(float32.segmentCount()).isEqualTo(1);
            assertThat(float32.search(READER, SearchRequest.dense(vector(1), 2)))
                    .extracting(ChunkHit::documentId).containsExactly("plain", "quantized");
        }
    }

    @Test
    void quantizedHitsCarryTheExactCosineOfTheirVectors() {
        try (LuceneChunkIndex int4 = new LuceneChunkIndex(temp.resolve("int4"),
                LuceneIndexSettings.DEFAULTS.withVectorEncoding(VectorEncoding.INT4))) {
            int4.apply(batch("diagonal", 1, "between two axes", new float[] {1, 1, 0, 0}));

            List<ChunkHit> hits = int4.search(READER, SearchRequest.dense(vector(0), 1));

            // Lucene's cosine score is (1 + cos) / 2; cos 45 degrees = 0.7071.
            assertThat(hits).singleElement().satisfies(hit -> assertThat(hit.score())
                    .isCloseTo((1 + (float) Math.sqrt(0.5)) / 2, within(1e-6f)));
        }
    }

    @Test
    void aCallersRepeatedSearchesReadItsAccessFilterFromTheQueryCache() {
        try (LuceneChunkIndex cached = new LuceneChunkIndex(temp.resolve("cached"))) {
            Caller seller = Caller.of(ACME, "sam", List.of("sales"));
            cached.apply(batch("pricing", 1, "price list", vector(0), "group:sales"));
            cached.search(seller, SearchRequest.dense(vector(0), 5));
            long hits = cached.queryCache().getHitCount();

            assertThat(cached.search(seller, SearchRequest.dense(vector(0), 5))).hasSize(1);
            assertThat(cached.queryCache().getHitCount()).isGreaterThan(hits);
            hits = cached.queryCache().getHitCount();
            // BM25 filters with the same query, so it reads the same entry.
            assertThat(cached.search(seller, SearchRequest.bm25("price", 5))).hasSize(1);
            assertThat(cached.queryCache().getHitCount()).isGreaterThan(hits);
            // Another caller's principals make another filter: its first search cannot hit.
            long misses = cached.queryCache().getMissCount();
            assertThat(cached.search(Caller.of(ACME, "eve", List.of("eng")), SearchRequest.dense(vector(0), 5)))
                    .isEmpty();
            assertThat(cached.queryCache().getMissCount()).isGreaterThan(misses);
        }
    }

    @Test
    void aCachedAccessFilterNeverReturnsAChunkWhoseAclNoLongerAdmitsTheCaller() {
        try (LuceneChunkIndex cached = new LuceneChunkIndex(temp.resolve("revoked"))) {
            Caller seller = Caller.of(ACME, "sam", List.of("sales"));
            cached.apply(batch("pricing", 1, "price list", vector(0), "group:sales"));
            cached.apply(batch("margins", 1, "price margins", vector(1), "group:sales"));
            for (int i = 0; i < 2; i++) {
                assertThat(cached.search(seller, SearchRequest.dense(vector(0), 5))).hasSize(2);
                assertThat(cached.search(seller, SearchRequest.bm25("price", 5))).hasSize(2);
            }
            long hits = cached.queryCache().getHitCount();
            assertThat(hits).isPositive();

            cached.apply(batch("pricing", 2, "price list", vector(0), "group:eng"));

            assertThat(cached.search(seller, SearchRequest.dense(vector(0), 5)))
                    .extracting(ChunkHit::documentId).containsExactly("margins");
            assertThat(cached.search(seller, SearchRequest.bm25("price", 5)))
                    .extracting(ChunkHit::documentId).containsExactly("margins");
            // The segments the change left alone were still read from the cache.
            assertThat(cached.queryCache().getHitCount()).isGreaterThan(hits);
            assertThat(cached.search(Caller.of(ACME, "eve", List.of("eng")), SearchRequest.bm25("price", 5)))
                    .extracting(ChunkHit::documentId).containsExactly("pricing");
        }
    }

    @Test
    void theSearchDepthFallsWithTheSquareRootOfTheSegmentsButNeverBelowK() {
        assertThat(LuceneChunkIndex.searchDepth(400, 50, 1)).isEqualTo(400);
        assertThat(LuceneChunkIndex.searchDepth(400, 50, 4)).isEqualTo(200);
        assertThat(LuceneChunkIndex.searchDepth(400, 50, 20)).isEqualTo(90);
        assertThat(LuceneChunkIndex.searchDepth(400, 50, 100)).isEqualTo(50);
        assertThat(LuceneChunkIndex.searchDepth(400, 10, 0)).isEqualTo(400);
    }

    @Test
    void aQueryCacheOfZeroMegabytesIsNone() {
        try (LuceneChunkIndex uncached = new LuceneChunkIndex(temp.resolve("uncached"),
                LuceneIndexSettings.DEFAULTS.withQueryCacheMb(0))) {
            uncached.apply(batch("plain", 1, "no cache here"));

            assertThat(uncached.queryCache()).isNull();
            assertThat(uncached.search(READER, SearchRequest.bm25("cache", 5))).hasSize(1);
            assertThat(uncached.search(READER, SearchRequest.dense(vector(1), 5))).hasSize(1);
        }
    }

    private static ChunkBatch batch(String documentId, long version, String text, float[] vector, String acl) {
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, documentId, version, "t", null, null,
                List.of(acl), null, new EmbeddingInfo("m", 4), List.of(chunk(documentId, version, 0, text, vector)));
    }

    private static ChunkBatch batch(String documentId, long version, String text, float[] vector) {
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, documentId, version, "t", null, null,
                List.of("public"), null, new EmbeddingInfo("m", 4), List.of(chunk(documentId, version, 0, text, vector)));
    }

    private static ChunkBatch batch(String documentId, long version, String text) {
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, documentId, version, "t", null, null,
                List.of("public"), null, new EmbeddingInfo("m", 4), List.of(chunk(documentId, version, 0, text, vector(1))));
    }

    private static Chunk chunk(String documentId, long version, int ordinal, String text, float[] vector) {
        return new Chunk(ChunkIds.of(ACME, documentId, version, ordinal), ordinal, text, vector, List.of(), null, 0,
                text.length());
    }

    private static float[] vector(int axis) {
        float[] vector = new float[4];
        vector[axis] = 1;
        return vector;
    }
}
