package io.kb.retrieval.index;

import static io.kb.retrieval.index.TestDocument.DIMENSION;
import static io.kb.retrieval.index.TestDocument.MODEL;
import static io.kb.retrieval.index.TestDocument.axis;
import static io.kb.retrieval.index.TestDocument.delete;
import static io.kb.retrieval.index.TestDocument.doc;
import static io.kb.retrieval.index.TestDocument.near;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.retrieval.access.AccessFilter;
import io.kb.retrieval.access.Caller;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChunkIndex} implementation keeps: versioned, atomic replacement of a
 * document's chunks, one embedding model per index, dense and BM25 search with filters, and above all
 * the access filter. An adapter's test extends this class and says how to open an empty index.
 */
public abstract class ChunkIndexContract {

    protected static final String ACME = "acme";
    protected static final String GLOBEX = "globex";

    /** Seed of the first round of the random access test; rerun a failure with {@code -Dkb.test.seed=<seed>}. */
    private static final long BASE_SEED = Long.getLong("kb.test.seed", 20_260_701L);
    private static final int RANDOM_ROUNDS = Integer.getInteger("kb.test.rounds", 5);

    private final List<ChunkIndex> opened = new ArrayList<>();
    protected ChunkIndex index;

    /** A new, empty index, that the suite closes after each test. */
    protected abstract ChunkIndex createIndex();

    @BeforeEach
    void openIndex() {
        index = newIndex();
    }

    @AfterEach
    void closeIndexes() {
        for (ChunkIndex each : opened) {
            each.close();
        }
    }

    /**
     * Whether the adapter's dense search returns exactly the nearest chunks. An index whose vector graph compares
     * quantized codes may miss a neighbour whose code ranks it just below the k-th; for it the suite checks that
     * dense hits are readable, distinct, as many as asked and ordered by score, and that the clearly nearest
     * chunk comes first, but not the exact list.
     */
    protected boolean ranksExactly() {
        return true;
    }

    /** Another new, empty index, closed after the test. */
    protected ChunkIndex newIndex() {
        ChunkIndex created = createIndex();
        opened.add(created);
        return created;
    }

    // ---- applying batches ---------------------------------------------------------------------

    @Test
    void shouldReplaceAllChunksOfADocumentWithANewVersion() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "handbook").version(1).chunk("alpha one").chunk("alpha two").chunk("alpha three").build());

        ApplyResult result = index.apply(doc(ACME, "handbook").version(2).chunk("beta one").chunk("beta two").build());

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.INDEXED);
        assertThat(result.chunkCount()).isEqualTo(2);
        assertThat(index.search(reader, SearchRequest.bm25("alpha", 10))).isEmpty();
        List<ChunkHit> hits = index.search(reader, SearchRequest.bm25("beta", 10));
        assertThat(hits).hasSize(2).allSatisfy(hit -> assertThat(hit.version()).isEqualTo(2));
        assertThat(index.search(reader, SearchRequest.dense(axis(0), 10))).hasSize(2);
        assertThat(index.storedVersion(ACME, "handbook")).contains(2L);
        IndexStats stats = index.stats();
        assertThat(stats.chunkCount()).isEqualTo(2);
        assertThat(stats.documentCount()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreStaleVersion() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "handbook").version(3).chunk("current text").build());

        ApplyResult result = index.apply(doc(ACME, "handbook").version(2).chunk("outdated text").chunk("more").build());

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(result.storedVersion()).isEqualTo(3);
        assertThat(result.chunkCount()).isEqualTo(1);
        assertThat(index.storedVersion(ACME, "handbook")).contains(3L);
        assertThat(index.search(reader, SearchRequest.bm25("outdated", 10))).isEmpty();
        assertThat(index.search(reader, SearchRequest.bm25("current", 10))).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(3));
    }

    @Test
    void shouldApplySameVersionAgainWithoutDuplicates() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        ChunkBatch batch = doc(ACME, "handbook").version(5).chunk("gamma one").chunk("gamma two").build();

        index.apply(batch);
        ApplyResult again = index.apply(batch);

        assertThat(again.outcome()).isEqualTo(ApplyResult.Outcome.INDEXED);
        assertThat(index.stats().chunkCount()).isEqualTo(2);
        List<ChunkHit> hits = index.search(reader, SearchRequest.bm25("gamma", 10));
        assertThat(hits).extracting(ChunkHit::chunkId).doesNotHaveDuplicates().hasSize(2);
        assertThat(index.search(reader, SearchRequest.dense(axis(1), 10))).hasSize(2);
    }

    @Test
    void shouldRemoveDocumentOnDelete() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "handbook").version(1).chunk("delta one").chunk("delta two").build());
        index.apply(doc(ACME, "other").version(1).chunk("epsilon").build());

        ApplyResult result = index.apply(delete(ACME, "handbook", 2));

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.DELETED);
        assertThat(index.search(reader, SearchRequest.bm25("delta", 10))).isEmpty();
        assertThat(index.search(reader, SearchRequest.dense(axis(0), 10)))
                .extracting(ChunkHit::documentId).containsOnly("other");
        assertThat(index.stats().chunkCount()).isEqualTo(1);
        assertThat(index.stats().documentCount()).isEqualTo(1);
        assertThat(index.storedVersion(ACME, "handbook")).contains(2L);
    }

    @Test
    void shouldKeepDeletedDocumentDeletedWhenAnOlderVersionArrivesLate() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "handbook").version(1).chunk("zeta text").build());
        index.apply(delete(ACME, "handbook", 2));

        ApplyResult late = index.apply(doc(ACME, "handbook").version(1).chunk("zeta text").build());
        ApplyResult lateDelete = index.apply(delete(ACME, "handbook", 1));

        assertThat(late.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(lateDelete.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(index.search(reader, SearchRequest.bm25("zeta", 10))).isEmpty();

        index.apply(doc(ACME, "handbook").version(3).chunk("zeta again").build());
        assertThat(index.search(reader, SearchRequest.bm25("zeta", 10))).singleElement()
                .satisfies(hit -> assertThat(hit.version()).isEqualTo(3));
    }

    @Test
    void shouldKnowNoVersionOfAnUnknownDocument() {
        assertThat(index.storedVersion(ACME, "never-seen")).isEmpty();
        assertThat(index.search(Caller.of(ACME, "alice", List.of()), SearchRequest.dense(axis(0), 3))).isEmpty();
        IndexStats stats = index.stats();
        assertThat(stats.chunkCount()).isZero();
        assertThat(stats.embedding()).isNull();
    }

    @Test
    void shouldRecordEmbeddingModelAndDimension() {
        index.apply(doc(ACME, "handbook").chunk("eta").build());

        IndexStats stats = index.stats();
        assertThat(stats.embedding()).isEqualTo(MODEL);
        assertThat(stats.sizeOnDiskBytes()).isNotNegative();
    }

    @Test
    void shouldRefuseBatchOfAnotherModel() {
        index.apply(doc(ACME, "handbook").chunk("theta").build());
        EmbeddingInfo otherModel = new EmbeddingInfo("other-model", DIMENSION);

        assertThatThrownBy(() -> index.apply(doc(ACME, "intruder").embedding(otherModel).chunk("iota").build()))
                .isInstanceOf(EmbeddingMismatchException.class)
                .hasMessageContaining("test-model")
                .hasMessageContaining("other-model");
        assertThat(index.storedVersion(ACME, "intruder")).isEmpty();
        assertThat(index.stats().chunkCount()).isEqualTo(1);
    }

    @Test
    void shouldRefuseBatchOfAnotherDimension() {
        index.apply(doc(ACME, "handbook").chunk("theta").build());
        EmbeddingInfo otherDimension = new EmbeddingInfo(MODEL.model(), DIMENSION / 2);

        assertThatThrownBy(() -> index.apply(doc(ACME, "handbook").version(2).embedding(otherDimension)
                        .chunk("kappa").build()))
                .isInstanceOf(EmbeddingMismatchException.class)
                .hasMessageContaining("dimension " + DIMENSION);
        assertThat(index.storedVersion(ACME, "handbook")).contains(1L);
    }

    // ---- applying the batches of a poll at once ------------------------------------------------

    @Test
    void applyAllShouldApplyInOrderWithTheNewestVersionOfADocumentWinning() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "kept").version(1).chunk("lambda kept").build());

        List<ApplyResult> results = index.applyAll(List.of(
                doc(ACME, "handbook").version(1).chunk("mu first").build(),
                doc(ACME, "removed").version(1).chunk("nu removed").build(),
                doc(ACME, "handbook").version(3).chunk("xi third").chunk("xi again").build(),
                doc(ACME, "handbook").version(2).chunk("omicron second").build(),
                delete(ACME, "removed", 2),
                doc(ACME, "removed").version(1).chunk("nu late").build()));

        assertThat(results).extracting(ApplyResult::outcome).containsExactly(ApplyResult.Outcome.INDEXED,
                ApplyResult.Outcome.INDEXED, ApplyResult.Outcome.INDEXED, ApplyResult.Outcome.STALE,
                ApplyResult.Outcome.DELETED, ApplyResult.Outcome.STALE);
        assertThat(results.get(3).storedVersion()).isEqualTo(3);
        assertThat(results.get(3).chunkCount()).isEqualTo(2);
        assertThat(results.get(5).storedVersion()).isEqualTo(2);
        assertThat(index.storedVersion(ACME, "handbook")).contains(3L);
        assertThat(index.storedVersion(ACME, "removed")).contains(2L);
        assertThat(index.search(reader, SearchRequest.bm25("xi", 10))).hasSize(2)
                .allSatisfy(hit -> assertThat(hit.version()).isEqualTo(3));
        assertThat(index.search(reader, SearchRequest.bm25("mu omicron nu", 10))).isEmpty();
        assertThat(index.stats().chunkCount()).isEqualTo(3);
        assertThat(index.stats().documentCount()).isEqualTo(2);
    }

    @Test
    void applyAllShouldApplyTheBatchesBeforeARefusedOneAndNoneFromIt() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "handbook").chunk("theta").build());
        EmbeddingInfo otherModel = new EmbeddingInfo("other-model", DIMENSION);
        List<ChunkBatch> batches = List.of(
                doc(ACME, "before").chunk("pi before").build(),
                doc(ACME, "handbook").version(2).chunk("rho replaced").build(),
                doc(ACME, "intruder").embedding(otherModel).chunk("sigma intruder").build(),
                doc(ACME, "after").chunk("tau after").build());

        assertThatThrownBy(() -> index.applyAll(batches))
                .isInstanceOfSatisfying(PartialApplyException.class, e -> {
                    assertThat(e.failedIndex()).isEqualTo(2);
                    assertThat(e.applied()).extracting(ApplyResult::documentId).containsExactly("before", "handbook");
                    assertThat(e.getCause()).isInstanceOf(EmbeddingMismatchException.class)
                            .hasMessageContaining("other-model");
                });

        assertThat(index.storedVersion(ACME, "before")).contains(1L);
        assertThat(index.storedVersion(ACME, "handbook")).contains(2L);
        assertThat(index.storedVersion(ACME, "intruder")).isEmpty();
        assertThat(index.storedVersion(ACME, "after")).isEmpty();
        assertThat(index.search(reader, SearchRequest.bm25("pi rho sigma tau theta", 10)))
                .extracting(ChunkHit::documentId).containsExactlyInAnyOrder("before", "handbook");
        assertThat(index.applyAll(batches.subList(3, 4))).extracting(ApplyResult::outcome)
                .containsExactly(ApplyResult.Outcome.INDEXED);
    }

    @Test
    void applyAllOfNothingDoesNothing() {
        assertThat(index.applyAll(List.of())).isEmpty();
        assertThat(index.stats().chunkCount()).isZero();
    }

    @Test
    void shouldRefuseDenseQueryOfAnotherDimension() {
        index.apply(doc(ACME, "handbook").chunk("theta").build());

        assertThatThrownBy(() -> index.search(Caller.of(ACME, "alice", List.of()),
                SearchRequest.dense(new float[] {1, 2, 3}, 3)))
                .isInstanceOf(EmbeddingMismatchException.class);
    }

    @Test
    void searchesNeverSeeAMixOfVersionsNorADocumentWithoutChunks() throws Exception {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(versionOfAtom(1));
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch readersStarted = new CountDownLatch(2);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(threads.submit(() -> {
                    readersStarted.countDown();
                    do {
                        List<ChunkHit> hits = index.search(reader, SearchRequest.bm25("common", 50));
                        Set<Long> versions = hits.stream().map(ChunkHit::version).collect(Collectors.toSet());
                        if (versions.size() != 1) {
                            failures.add("saw versions " + versions + " in one search");
                        } else {
                            long version = versions.iterator().next();
                            if (hits.size() != atomChunkCount(version)) {
                                failures.add("saw " + hits.size() + " chunks of version " + version);
                            }
                        }
                    } while (writing.get());
                }));
            }
            readersStarted.await(10, TimeUnit.SECONDS);
            for (long version = 2; version <= 25; version++) {
                index.apply(versionOfAtom(version));
            }
            writing.set(false);
            for (Future<?> each : readers) {
                each.get(30, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
        assertThat(failures).isEmpty();
    }

    private static ChunkBatch versionOfAtom(long version) {
        TestDocument document = doc(ACME, "atom").version(version);
        for (int i = 0; i < atomChunkCount(version); i++) {
            document.chunk("common words of version " + version + " part " + i);
        }
        return document.build();
    }

    private static int atomChunkCount(long version) {
        return 1 + (int) (version % 4);
    }

    // ---- searching ----------------------------------------------------------------------------

    @Test
    void denseSearchShouldRankTheNearestVectorFirst() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        for (int i = 0; i < DIMENSION; i++) {
            index.apply(doc(ACME, "axis-" + i).chunk("text on axis " + i, axis(i)).build());
        }
        index.apply(doc(ACME, "close-to-3").chunk("near axis three", near(axis(3), 5, 0.3f)).build());

        List<ChunkHit> hits = index.search(reader, SearchRequest.dense(near(axis(3), 5, 0.05f), 3));

        if (ranksExactly()) {
            assertThat(hits).extracting(ChunkHit::documentId).containsExactly("axis-3", "close-to-3", "axis-5");
        } else {
            assertThat(hits).hasSize(3).extracting(ChunkHit::documentId).startsWith("axis-3", "close-to-3");
        }
        assertThat(hits).isSortedAccordingTo(Comparator.comparing(ChunkHit::score).reversed());
    }

    @Test
    void bm25ShouldFindChineseText() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "zh").chunk("员工可以在知识库中检索公司的规章制度。").build());
        index.apply(doc(ACME, "en").chunk("Employees may take twenty days of holiday each year.").build());

        assertThat(index.search(reader, SearchRequest.bm25("知识库", 5)))
                .extracting(ChunkHit::documentId).containsExactly("zh");
        assertThat(index.search(reader, SearchRequest.bm25("如何检索规章制度", 5)))
                .extracting(ChunkHit::documentId).containsExactly("zh");
    }

    @Test
    void bm25ShouldFindEnglishByStemmedWords() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "en").chunk("The indexer indexes the policies nightly.").build());
        index.apply(doc(ACME, "zh").chunk("公司的假期政策").build());

        assertThat(index.search(reader, SearchRequest.bm25("indexing policy", 5)))
                .extracting(ChunkHit::documentId).containsExactly("en");
        assertThat(index.search(reader, SearchRequest.bm25("POLICIES", 5)))
                .extracting(ChunkHit::documentId).containsExactly("en");
    }

    @Test
    void bm25ShouldFindAChunkThatMixesLanguagesByEitherLanguage() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "mixed").chunk("Kafka 消息队列的 configuration 说明").build());

        assertThat(index.search(reader, SearchRequest.bm25("消息队列", 5))).hasSize(1);
        assertThat(index.search(reader, SearchRequest.bm25("configuring kafka", 5))).hasSize(1);
    }

    @Test
    void bm25ShouldReturnNothingForAQueryOfStopWordsOnly() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "en").chunk("The policy of the company").build());

        assertThat(index.search(reader, SearchRequest.bm25("the of", 5))).isEmpty();
    }

    @Test
    void shouldHighlightTheMatchedWordsOfBm25Hits() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        String text = "Employees search the 知识库 for policies every day.";
        index.apply(doc(ACME, "mixed").chunk(text).build());

        ChunkHit hit = index.search(reader, SearchRequest.bm25("searching 知识库 policy", 5)).getFirst();

        assertThat(hit.highlights()).extracting(h -> text.substring(h.start(), h.end()))
                .contains("search", "知识库", "policies")
                .doesNotContain("Employees", "day");
        assertThat(index.search(reader, SearchRequest.dense(axis(0), 5)).getFirst().highlights()).isEmpty();
    }

    @Test
    void hitsShouldCarryWhatACitationNeeds() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        ChunkBatch batch = doc(ACME, "guide").version(4).title("Travel guide").meta("lang", "en")
                .chunk("first passage about trains").chunk("second passage about planes").build();
        index.apply(batch);

        ChunkHit hit = index.search(reader, SearchRequest.bm25("planes", 5)).getFirst();

        Chunk chunk = batch.chunks().get(1);
        assertThat(hit.chunkId()).isEqualTo(chunk.id());
        assertThat(hit.documentId()).isEqualTo("guide");
        assertThat(hit.version()).isEqualTo(4);
        assertThat(hit.ordinal()).isEqualTo(1);
        assertThat(hit.title()).isEqualTo("Travel guide");
        assertThat(hit.source()).isEqualTo("test://guide");
        assertThat(hit.text()).isEqualTo(chunk.text());
        assertThat(hit.headingPath()).isEqualTo(chunk.headingPath());
        assertThat(hit.page()).isEqualTo(chunk.page());
        assertThat(hit.startOffset()).isEqualTo(chunk.startOffset());
        assertThat(hit.endOffset()).isEqualTo(chunk.endOffset());
        assertThat(hit.metadata()).containsExactlyEntriesOf(Map.of("lang", "en"));
        assertThat(hit.score()).isPositive();
    }

    @Test
    void shouldFilterByMetadata() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        index.apply(doc(ACME, "en-1").meta("lang", "en").meta("team", "hr").chunk("leave policy").build());
        index.apply(doc(ACME, "en-2").meta("lang", "en").meta("team", "it").chunk("laptop policy").build());
        index.apply(doc(ACME, "zh-1").meta("lang", "zh").meta("team", "hr").chunk("policy 假期").build());

        SearchFilter hrInEnglish = SearchFilter.metadata(Map.of("lang", "en", "team", "hr"));
        assertThat(index.search(reader, SearchRequest.bm25("policy", 10).withFilter(hrInEnglish)))
                .extracting(ChunkHit::documentId).containsExactly("en-1");
        assertThat(index.search(reader, SearchRequest.dense(axis(2), 10).withFilter(SearchFilter.metadata(Map.of("lang", "zh")))))
                .extracting(ChunkHit::documentId).containsExactly("zh-1");
        assertThat(index.search(reader, SearchRequest.dense(axis(2), 10).withFilter(SearchFilter.metadata(Map.of("lang", "fr")))))
                .isEmpty();
    }

    @Test
    void shouldFilterByDocumentIds() {
        Caller reader = Caller.of(ACME, "alice", List.of());
        for (String id : List.of("a", "b", "c", "d")) {
            index.apply(doc(ACME, id).chunk("shared words " + id).chunk("more shared words " + id).build());
        }

        SearchFilter bAndD = SearchFilter.documents(List.of("b", "d", "unknown"));
        assertThat(index.search(reader, SearchRequest.bm25("shared", 10).withFilter(bAndD)))
                .extracting(ChunkHit::documentId).hasSize(4).containsOnly("b", "d");
        assertThat(index.search(reader, SearchRequest.dense(axis(4), 3).withFilter(bAndD)))
                .extracting(ChunkHit::documentId).hasSize(3).containsOnly("b", "d");
    }

    // ---- access control -----------------------------------------------------------------------

    @Test
    void shouldReturnKReadableChunksWhenMostMatchingChunksAreForbidden() {
        Caller engineer = Caller.of(ACME, "alice", List.of("eng"));
        float[] target = axis(0);
        for (int d = 0; d < 20; d++) {
            TestDocument secret = doc(ACME, "secret-" + d).acl("group:board");
            for (int c = 0; c < 5; c++) {
                secret.chunk("quarterly report figures " + d + "-" + c, near(target, 1 + (c % 7), 0.001f * (d + 1)));
            }
            index.apply(secret.build());
        }
        Set<String> allowed = new HashSet<>();
        for (int d = 0; d < 5; d++) {
            ChunkBatch open = doc(ACME, "open-" + d).acl("group:eng")
                    .chunk("quarterly report summary " + d, near(target, 1 + d, 0.5f)).build();
            index.apply(open);
            allowed.add(open.chunks().getFirst().id());
        }

        assertThat(index.search(engineer, SearchRequest.dense(target, 5)))
                .extracting(ChunkHit::chunkId).containsExactlyInAnyOrderElementsOf(allowed);
        assertThat(index.search(engineer, SearchRequest.bm25("quarterly report figures", 5)))
                .extracting(ChunkHit::chunkId).containsExactlyInAnyOrderElementsOf(allowed);
    }

    @Test
    void neverReturnsChunksOfAnotherTenant() {
        // The same document id, group, text and vectors in both tenants.
        ChunkBatch acme = doc(ACME, "shared").acl("group:x", "public").meta("tenant", ACME)
                .chunk("merger plans for the year", axis(1)).build();
        ChunkBatch globex = doc(GLOBEX, "shared").acl("group:x", "public").meta("tenant", GLOBEX)
                .chunk("merger plans for the year", axis(1)).chunk("merger secrets", axis(2)).build();
        index.apply(acme);
        index.apply(globex);
        Caller acmeUser = Caller.of(ACME, "alice", List.of("x"));
        Set<String> acmeChunks = chunkIds(acme);

        List<SearchRequest> requests = List.of(
                SearchRequest.bm25("merger plans secrets", 10),
                SearchRequest.dense(axis(2), 10),
                SearchRequest.dense(axis(1), 10).withFilter(SearchFilter.documents(List.of("shared"))),
                SearchRequest.bm25("merger", 10).withFilter(SearchFilter.documents(List.of("shared"))));
        for (SearchRequest request : requests) {
            assertThat(index.search(acmeUser, request)).as(request.toString())
                    .extracting(ChunkHit::chunkId).containsExactlyElementsOf(acmeChunks);
        }
        SearchFilter namesGlobex = SearchFilter.metadata(Map.of("tenant", GLOBEX));
        assertThat(index.search(acmeUser, SearchRequest.bm25("merger", 10).withFilter(namesGlobex))).isEmpty();
        assertThat(index.search(acmeUser, SearchRequest.dense(axis(2), 10).withFilter(namesGlobex))).isEmpty();
        // Only the other tenant has a chunk about secrets: the group name both tenants use does not reach it.
        Caller globexGroupInAcme = new Caller(ACME, List.of("group:x"));
        assertThat(index.search(globexGroupInAcme, SearchRequest.bm25("secrets", 10))).isEmpty();
    }

    @Test
    void deniesChunksOutsideCallersGroups() {
        index.apply(doc(ACME, "payroll").acl("group:finance", "user:bob").chunk("salary bands").build());

        assertThat(index.search(Caller.of(ACME, "alice", List.of("eng", "sales")), SearchRequest.bm25("salary", 10))).isEmpty();
        assertThat(index.search(Caller.of(ACME, "alice", List.of("eng")), SearchRequest.dense(axis(0), 10))).isEmpty();
        assertThat(index.search(Caller.of(ACME, "carol", List.of("finance")), SearchRequest.bm25("salary", 10))).hasSize(1);
        assertThat(index.search(Caller.of(ACME, "bob", List.of()), SearchRequest.dense(axis(0), 10))).hasSize(1);
        // A group named like the user, or a user named like the group, is another principal.
        assertThat(index.search(Caller.of(ACME, "finance", List.of("bob")), SearchRequest.bm25("salary", 10))).isEmpty();
    }

    @Test
    void publicChunksAreVisibleToEveryCallerOfTheSameTenantOnly() {
        index.apply(doc(ACME, "welcome").acl("public").chunk("welcome to acme").build());

        assertThat(index.search(Caller.of(ACME, "newcomer", List.of()), SearchRequest.bm25("welcome", 10))).hasSize(1);
        assertThat(index.search(Caller.of(ACME, "alice", List.of("eng")), SearchRequest.dense(axis(0), 10))).hasSize(1);
        assertThat(index.search(Caller.of(GLOBEX, "newcomer", List.of()), SearchRequest.bm25("welcome", 10))).isEmpty();
        assertThat(index.search(Caller.of(GLOBEX, "newcomer", List.of()), SearchRequest.dense(axis(0), 10))).isEmpty();
    }

    @Test
    void removingAGroupFromTheAclRevokesAccessAtOnce() {
        Caller seller = Caller.of(ACME, "sam", List.of("sales"));
        index.apply(doc(ACME, "pricing").version(1).acl("group:eng", "group:sales").chunk("price list").build());
        assertThat(index.search(seller, SearchRequest.bm25("price", 10))).hasSize(1);

        index.apply(doc(ACME, "pricing").version(2).acl("group:eng").chunk("price list").build());

        assertThat(index.search(seller, SearchRequest.bm25("price", 10))).isEmpty();
        assertThat(index.search(seller, SearchRequest.dense(axis(0), 10))).isEmpty();
        assertThat(index.search(Caller.of(ACME, "eve", List.of("eng")), SearchRequest.bm25("price", 10))).hasSize(1);
    }

    @Test
    void refusesToSearchWithoutACaller() {
        assertThatThrownBy(() -> index.search(null, SearchRequest.bm25("anything", 3)))
                .isInstanceOf(NullPointerException.class);
    }

    /**
     * Random documents with random ACLs in two or three tenants, random new versions, stale versions
     * and deletes, then random callers and searches: every hit is one the caller may read and the
     * filter admits, no search returns fewer hits than it could, dense hits are the exact top k of
     * the readable chunks, and BM25 hits are the matching readable chunks.
     */
    @Test
    void randomSearchesReturnOnlyReadableChunksAndTheBestOfThem() {
        for (int round = 0; round < RANDOM_ROUNDS; round++) {
            long seed = BASE_SEED + round;
            ChunkIndex fresh = newIndex();
            try {
                new RandomAccessScenario(fresh, seed, ranksExactly()).run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("random access scenario failed with seed " + seed
                        + " (rerun with -Dkb.test.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private static Set<String> chunkIds(ChunkBatch batch) {
        Set<String> ids = new LinkedHashSet<>();
        for (Chunk chunk : batch.chunks()) {
            ids.add(chunk.id());
        }
        return ids;
    }

    /** One seeded round of the random access test; the model of the index is a map of live batches. */
    private static final class RandomAccessScenario {

        private static final List<String> TENANTS = List.of("t1", "t2", "t3");
        private static final List<String> WORDS = List.of("apple", "river", "planet", "engine", "garden", "silver",
                "violin", "harbor", "知识", "检索", "安全", "文档", "合同", "财务");
        private static final List<String> COLOURS = List.of("red", "blue");

        private final ChunkIndex index;
        private final boolean exact;
        private final Random random;
        private final List<String> tenants;
        private final Map<String, ChunkBatch> live = new HashMap<>();
        private final Map<String, Long> versions = new HashMap<>();

        RandomAccessScenario(ChunkIndex index, long seed, boolean exact) {
            this.index = index;
            this.exact = exact;
            this.random = new Random(seed);
            this.tenants = TENANTS.subList(0, 2 + random.nextInt(2));
        }

        void run() {
            for (int step = 0; step < 40; step++) {
                applyRandomBatch();
            }
            for (int c = 0; c < 12; c++) {
                Caller caller = randomCaller();
                for (int s = 0; s < 6; s++) {
                    SearchFilter filter = randomFilter();
                    int k = 1 + random.nextInt(12);
                    if (random.nextBoolean()) {
                        checkDense(caller, TestDocument.randomVector(random, DIMENSION), k, filter);
                    } else {
                        checkBm25(caller, pick(WORDS) + (random.nextBoolean() ? " " + pick(WORDS) : ""), k, filter);
                    }
                }
            }
        }

        private void applyRandomBatch() {
            String tenant = pick(tenants);
            String documentId = "d" + random.nextInt(10);
            String key = tenant + "/" + documentId;
            long held = versions.getOrDefault(key, -1L);
            int dice = random.nextInt(10);
            if (held > 0 && dice == 0) {
                ApplyResult stale = index.apply(upsert(tenant, documentId, held - 1));
                assertThat(stale.outcome()).as("older version of " + key).isEqualTo(ApplyResult.Outcome.STALE);
            } else if (held >= 0 && dice == 1) {
                index.apply(ChunkBatch.delete(tenant, documentId, held + 1));
                versions.put(key, held + 1);
                live.remove(key);
            } else {
                ChunkBatch batch = upsert(tenant, documentId, held + 1);
                index.apply(batch);
                versions.put(key, held + 1);
                live.put(key, batch);
            }
        }

        private ChunkBatch upsert(String tenant, String documentId, long version) {
            Set<String> acl = new LinkedHashSet<>();
            int entries = 1 + random.nextInt(3);
            while (acl.size() < entries) {
                acl.add(switch (random.nextInt(5)) {
                    case 0 -> "public";
                    case 1 -> "user:u" + random.nextInt(4);
                    default -> "group:g" + random.nextInt(4);
                });
            }
            TestDocument document = doc(tenant, documentId).version(version).acl(acl.toArray(String[]::new))
                    .meta("colour", pick(COLOURS));
            int chunks = 1 + random.nextInt(3);
            for (int i = 0; i < chunks; i++) {
                List<String> words = new ArrayList<>();
                int length = 2 + random.nextInt(4);
                for (int w = 0; w < length; w++) {
                    words.add(pick(WORDS));
                }
                document.chunk(String.join(" ", words), TestDocument.randomVector(random, DIMENSION));
            }
            return document.build();
        }

        private Caller randomCaller() {
            List<String> groups = new ArrayList<>();
            for (int g = 0; g < 4; g++) {
                if (random.nextInt(3) == 0) {
                    groups.add("g" + g);
                }
            }
            return Caller.of(pick(tenants), "u" + random.nextInt(4), groups);
        }

        private SearchFilter randomFilter() {
            return switch (random.nextInt(4)) {
                case 0 -> SearchFilter.metadata(Map.of("colour", pick(COLOURS)));
                case 1 -> {
                    Set<String> ids = new HashSet<>();
                    int count = 1 + random.nextInt(4);
                    for (int i = 0; i < count; i++) {
                        ids.add("d" + random.nextInt(10));
                    }
                    yield SearchFilter.documents(ids);
                }
                default -> SearchFilter.NONE;
            };
        }

        /** Every chunk the caller may read and the filter admits, from the model of the index. */
        private List<Candidate> readable(Caller caller, SearchFilter filter) {
            AccessFilter access = AccessFilter.of(caller);
            List<Candidate> candidates = new ArrayList<>();
            for (ChunkBatch batch : live.values()) {
                boolean admitted = access.permits(batch.tenant(), batch.acl())
                        && batch.metadata().entrySet().containsAll(filter.metadata().entrySet())
                        && (filter.documentIds().isEmpty() || filter.documentIds().contains(batch.documentId()));
                if (admitted) {
                    for (Chunk chunk : batch.chunks()) {
                        candidates.add(new Candidate(chunk));
                    }
                }
            }
            return candidates;
        }

        private void checkDense(Caller caller, float[] query, int k, SearchFilter filter) {
            List<Candidate> candidates = readable(caller, filter);
            List<String> expected = candidates.stream()
                    .sorted(Comparator.comparingDouble((Candidate c) -> cosine(query, c.chunk().vector())).reversed())
                    .limit(k)
                    .map(c -> c.chunk().id())
                    .toList();

            List<ChunkHit> hits = index.search(caller, new SearchRequest(SearchMode.DENSE, query, null, k, filter));

            String what = "DENSE k=" + k + " " + filter + " for " + caller;
            if (exact) {
                assertThat(hits).as(what).extracting(ChunkHit::chunkId).containsExactlyElementsOf(expected);
            } else {
                Set<String> admitted = candidates.stream().map(c -> c.chunk().id()).collect(Collectors.toSet());
                assertThat(hits).as(what).hasSize(expected.size());
                assertThat(hits).as(what).extracting(ChunkHit::chunkId).doesNotHaveDuplicates().isSubsetOf(admitted);
                assertThat(hits).as(what).isSortedAccordingTo(Comparator.comparing(ChunkHit::score).reversed());
            }
        }

        private void checkBm25(Caller caller, String query, int k, SearchFilter filter) {
            Set<String> queryWords = new HashSet<>(List.of(query.split(" ")));
            Set<String> matching = new HashSet<>();
            for (Candidate candidate : readable(caller, filter)) {
                if (!Collections.disjoint(queryWords, List.of(candidate.chunk().text().split(" ")))) {
                    matching.add(candidate.chunk().id());
                }
            }

            List<ChunkHit> hits = index.search(caller, new SearchRequest(SearchMode.BM25, null, query, k, filter));

            String what = "BM25 '" + query + "' k=" + k + " " + filter + " for " + caller;
            assertThat(hits).as(what).hasSize(Math.min(k, matching.size()));
            assertThat(hits).as(what).extracting(ChunkHit::chunkId).doesNotHaveDuplicates().isSubsetOf(matching);
            assertThat(hits).as(what).allSatisfy(hit -> assertThat(hit.highlights()).isNotEmpty());
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        private static double cosine(float[] a, float[] b) {
            double dot = 0;
            double normA = 0;
            double normB = 0;
            for (int i = 0; i < a.length; i++) {
                dot += (double) a[i] * b[i];
                normA += (double) a[i] * a[i];
                normB += (double) b[i] * b[i];
            }
            return dot / Math.sqrt(normA * normB);
        }

        private record Candidate(Chunk chunk) {
        }
    }
}
