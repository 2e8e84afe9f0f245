package io.kb.retrieval.index.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.AccessFilter;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ApplyResult;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.ChunkIndexHealthIndicator;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.IndexProperties;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.index.SearchRequest;
import io.milvus.grpc.CreateCollectionRequest;
import io.milvus.grpc.CreateIndexRequest;
import io.milvus.grpc.DataType;
import io.milvus.grpc.DeleteRequest;
import io.milvus.grpc.FieldData;
import io.milvus.grpc.FieldSchema;
import io.milvus.grpc.FunctionSchema;
import io.milvus.grpc.FunctionType;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.QueryRequest;
import io.milvus.grpc.TemplateValue;
import io.milvus.grpc.UpsertRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/**
 * {@link MilvusChunkIndex} against {@link FakeMilvusServer}, a Milvus service on a loopback port: the requests the
 * adapter sends through the real SDK are checked field by field (collection schemas, indexes, rows, delete and
 * search filters and their template values, the hybrid request and its RRF ranker), and rows the server returns
 * are mapped to hits. What Milvus itself does with them (BM25 ranking, filtering, the analyzer) is checked by
 * {@link MilvusChunkIndexContainerIT} where Docker runs.
 */
class MilvusChunkIndexGrpcTest {

    private static final String ACME = "acme";
    private static final EmbeddingInfo MODEL = new EmbeddingInfo("bge-small-zh-v1.5", 4);
    private static final String CHUNKS = "kb_chunks_bge_small_zh_v1_5_4";
    private static final String DOCUMENTS = "kb_documents";

    private FakeMilvusServer server;
    private MilvusChunkIndex index;

    @BeforeEach
    void start() throws IOException {
        server = FakeMilvusServer.start();
        index = new MilvusChunkIndex(settings(server.uri(), ""));
    }

    @AfterEach
    void stop() throws InterruptedException {
        index.close();
        server.close();
    }

    // ---- collections --------------------------------------------------------------------------

    @Test
    void createsAChunkCollectionForTheBatchesEmbeddingModel() {
        index.apply(batch("handbook", 1, List.of("group:eng"), Map.of(), "first chunk"));

        CreateCollectionRequest create = server.requests(CreateCollectionRequest.class).stream()
                .filter(r -> r.getCollectionName().equals(CHUNKS)).findFirst().orElseThrow();
        assertThat(create.getConsistencyLevel()).isEqualTo(io.milvus.grpc.ConsistencyLevel.Strong);
        Map<String, FieldSchema> fields = server.collections.get(CHUNKS).getFieldsList().stream()
                .collect(Collectors.toMap(FieldSchema::getName, f -> f));
        FieldSchema id = fields.get("chunk_id");
        assertThat(id.getDataType()).isEqualTo(DataType.VarChar);
        assertThat(id.getIsPrimaryKey()).isTrue();
        assertThat(id.getAutoID()).isFalse();
        assertThat(fields.get("tenant_id").getIsPartitionKey()).isTrue();
        assertThat(fields.values()).filteredOn(FieldSchema::getIsPartitionKey).hasSize(1);
        FieldSchema text = fields.get("text");
        assertThat(params(text.getTypeParamsList())).containsEntry("enable_analyzer", "true")
                .hasEntrySatisfying("analyzer_params", analyzer -> assertThat(analyzer)
                        .contains("\"tokenizer\":\"jieba\"", "\"language\":\"english\"", "_english_"));
        FieldSchema dense = fields.get("dense");
        assertThat(dense.getDataType()).isEqualTo(DataType.FloatVector);
        assertThat(params(dense.getTypeParamsList())).containsEntry("dim", "4");
        FieldSchema sparse = fields.get("sparse");
        assertThat(sparse.getDataType()).isEqualTo(DataType.SparseFloatVector);
        assertThat(sparse.getIsFunctionOutput()).isTrue();
        FieldSchema acl = fields.get("acl");
        assertThat(acl.getDataType()).isEqualTo(DataType.Array);
        assertThat(acl.getElementType()).isEqualTo(DataType.VarChar);
        assertThat(fields.get("meta").getDataType()).isEqualTo(DataType.JSON);

        FunctionSchema bm25 = server.collections.get(CHUNKS).getFunctions(0);
        assertThat(bm25.getType()).isEqualTo(FunctionType.BM25);
        assertThat(bm25.getInputFieldNamesList()).containsExactly("text");
        assertThat(bm25.getOutputFieldNamesList()).containsExactly("sparse");

        Map<String, Map<String, String>> indexes = server.requests(CreateIndexRequest.class).stream()
                .filter(r -> r.getCollectionName().equals(CHUNKS))
                .collect(Collectors.toMap(CreateIndexRequest::getFieldName, r -> params(r.getExtraParamsList())));
        assertThat(indexes.get("dense")).containsEntry("index_type", "HNSW").containsEntry("metric_type", "COSINE")
                .containsEntry("M", "16").containsEntry("efConstruction", "200");
        assertThat(indexes.get("sparse")).containsEntry("index_type", "SPARSE_INVERTED_INDEX")
                .containsEntry("metric_type", "BM25");
        assertThat(server.collections).containsKey(DOCUMENTS);
    }

    @Test
    void usesTheAnalyzerTheSettingsName() throws Exception {
        try (FakeMilvusServer other = FakeMilvusServer.start();
                MilvusChunkIndex english = new MilvusChunkIndex(new IndexProperties.Milvus(URI.create(other.uri()),
                        "", "", "kb", IndexProperties.Consistency.BOUNDED, Duration.ofSeconds(10), Duration.ofSeconds(10),
                        IndexProperties.TextAnalyzer.ENGLISH, 16, 200, 64))) {
            english.apply(batch("handbook", 1, List.of("public"), Map.of(), "text"));

            FieldSchema text = other.collections.get(CHUNKS).getFieldsList().stream()
                    .filter(f -> f.getName().equals("text")).findFirst().orElseThrow();
            assertThat(params(text.getTypeParamsList())).containsEntry("analyzer_params", "{\"type\":\"english\"}");
            assertThat(other.requests(CreateCollectionRequest.class))
                    .allSatisfy(r -> assertThat(r.getConsistencyLevel()).isEqualTo(io.milvus.grpc.ConsistencyLevel.Bounded));
        }
    }

    // ---- writes -------------------------------------------------------------------------------

    @Test
    void upsertsTheNewVersionThenDeletesTheOthersThenRecordsTheVersion() {
        ChunkBatch batch = batch("handbook", 7, List.of("group:eng", "user:bob"), Map.of("lang", "en"),
                "first chunk", "second chunk");

        ApplyResult result = index.apply(batch);

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.INDEXED);
        List<Object> writes = server.requests.stream()
                .filter(r -> r instanceof UpsertRequest || r instanceof DeleteRequest).toList();
        // the embedding record, the chunks, the delete of other versions, the document's version
        assertThat(writes).hasSize(4);
        UpsertRequest chunks = (UpsertRequest) writes.get(1);
        assertThat(chunks.getCollectionName()).isEqualTo(CHUNKS);
        assertThat(chunks.getNumRows()).isEqualTo(2);
        assertThat(strings(chunks, "chunk_id")).containsExactly(batch.chunks().get(0).id(), batch.chunks().get(1).id());
        assertThat(strings(chunks, "tenant_id")).containsOnly(ACME);
        assertThat(strings(chunks, "doc_id")).containsOnly("handbook");
        assertThat(strings(chunks, "text")).containsExactly("first chunk", "second chunk");
        assertThat(column(chunks, "version").getScalars().getLongData().getDataList()).containsOnly(7L);
        assertThat(column(chunks, "acl").getScalars().getArrayData().getData(0).getStringData().getDataList())
                .containsExactly("group:eng", "user:bob");
        assertThat(column(chunks, "meta").getScalars().getJsonData().getData(0).toStringUtf8())
                .isEqualTo("{\"lang\":\"en\"}");
        assertThat(column(chunks, "dense").getVectors().getDim()).isEqualTo(4);
        assertThat(column(chunks, "dense").getVectors().getFloatVector().getDataList())
                .containsExactly(1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f);
        assertThat(chunks.getFieldsDataList()).extracting(FieldData::getFieldName).doesNotContain("sparse");

        DeleteRequest delete = (DeleteRequest) writes.get(2);
        assertThat(delete.getCollectionName()).isEqualTo(CHUNKS);
        assertThat(delete.getExpr()).isEqualTo("tenant_id == {tenant} and doc_id == {document} and version != {version}");
        assertThat(delete.getExprTemplateValuesMap()).containsEntry("tenant", string(ACME))
                .containsEntry("document", string("handbook"))
                .containsEntry("version", TemplateValue.newBuilder().setInt64Val(7).build());

        UpsertRequest document = (UpsertRequest) writes.get(3);
        assertThat(document.getCollectionName()).isEqualTo(DOCUMENTS);
        assertThat(strings(document, "doc_key")).containsExactly("acme/handbook");
        assertThat(strings(document, "state")).containsExactly("live");
        assertThat(column(document, "version").getScalars().getLongData().getDataList()).containsExactly(7L);
    }

    @Test
    void deletesTheDocumentsChunksAndKeepsItsVersion() {
        server.queryAnswer = request -> keyOf(request).equals("#embedding") ? List.of(embeddingRow(MODEL)) : List.of();

        ApplyResult result = index.apply(ChunkBatch.delete(ACME, "handbook", 9));

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.DELETED);
        DeleteRequest delete = server.requests(DeleteRequest.class).getFirst();
        assertThat(delete.getCollectionName()).isEqualTo(CHUNKS);
        assertThat(delete.getExpr()).isEqualTo("tenant_id == {tenant} and doc_id == {document}");
        assertThat(delete.getExprTemplateValuesMap()).containsEntry("tenant", string(ACME))
                .containsEntry("document", string("handbook"));
        UpsertRequest document = server.requests(UpsertRequest.class).getLast();
        assertThat(strings(document, "state")).containsExactly("removed");
        assertThat(column(document, "version").getScalars().getLongData().getDataList()).containsExactly(9L);
    }

    @Test
    void ignoresAStaleBatchWithoutWriting() {
        server.queryAnswer = request -> switch (keyOf(request)) {
            case "#embedding" -> List.of(embeddingRow(MODEL));
            case "acme/handbook" -> List.of(documentRow("acme/handbook", 5, 3));
            default -> List.of();
        };

        ApplyResult result = index.apply(batch("handbook", 4, List.of("public"), Map.of(), "old text"));

        assertThat(result.outcome()).isEqualTo(ApplyResult.Outcome.STALE);
        assertThat(result.storedVersion()).isEqualTo(5);
        assertThat(result.chunkCount()).isEqualTo(3);
        assertThat(server.requests(UpsertRequest.class)).isEmpty();
        assertThat(server.requests(DeleteRequest.class)).isEmpty();
        assertThat(index.storedVersion(ACME, "handbook")).contains(5L);
        // the version check reads what every finished write left, whatever the search consistency
        assertThat(server.requests(QueryRequest.class)).filteredOn(r -> r.getExpr().equals("doc_key == {key}"))
                .allSatisfy(r -> assertThat(r.getConsistencyLevel()).isEqualTo(io.milvus.grpc.ConsistencyLevel.Strong));
    }

    @Test
    void refusesABatchOfAnotherModelThanTheRecordedOne() {
        server.queryAnswer = request -> keyOf(request).equals("#embedding")
                ? List.of(embeddingRow(new EmbeddingInfo("other-model", 4))) : List.of();

        assertThatThrownBy(() -> index.apply(batch("handbook", 1, List.of("public"), Map.of(), "text")))
                .isInstanceOf(EmbeddingMismatchException.class)
                .hasMessageContaining("other-model").hasMessageContaining(MODEL.model());
        assertThat(server.requests(UpsertRequest.class)).isEmpty();
    }

    // ---- searches -----------------------------------------------------------------------------

    @Test
    void searchesWithTenantAndPrincipalsAsTemplateValuesNeverInTheExpression() {
        recordedEmbedding();
        String hostile = "en\" or tenant_id != \"acme";
        Caller caller = Caller.of(ACME, "alice", List.of("eng", "sales"));

        index.search(caller, SearchRequest.bm25("vacation policy", 5)
                .withFilter(new SearchFilter(Map.of("lang", hostile), Set.of("handbook", "faq"))));

        io.milvus.grpc.SearchRequest search = server.requests(io.milvus.grpc.SearchRequest.class).getFirst();
        assertThat(search.getCollectionName()).isEqualTo(CHUNKS);
        assertThat(search.getDsl()).isEqualTo("tenant_id == {tenant} and ARRAY_CONTAINS_ANY(acl, {principals})"
                + " and meta[\"lang\"] == {meta0} and doc_id in {documents}");
        assertThat(search.getDsl()).doesNotContain(ACME, "alice", "handbook", hostile);
        Map<String, TemplateValue> values = search.getExprTemplateValuesMap();
        assertThat(values.get("tenant").getStringVal()).isEqualTo(ACME);
        assertThat(values.get("principals").getArrayVal().getStringData().getDataList())
                .containsExactlyInAnyOrder("user:alice", "group:eng", "group:sales", "public");
        assertThat(values.get("meta0").getStringVal()).isEqualTo(hostile);
        assertThat(values.get("documents").getArrayVal().getStringData().getDataList())
                .containsExactlyInAnyOrder("handbook", "faq");
        assertThat(params(search.getSearchParamsList())).containsEntry("anns_field", "sparse")
                .containsEntry("metric_type", "BM25").containsEntry("topk", "10");
        assertThat(search.getConsistencyLevel()).isEqualTo(io.milvus.grpc.ConsistencyLevel.Strong);
    }

    @Test
    void denseSearchAsksTheDenseFieldByCosine() {
        recordedEmbedding();

        index.search(Caller.of(ACME, "alice", List.of()), SearchRequest.dense(new float[] {0, 1, 0, 0}, 40));

        io.milvus.grpc.SearchRequest search = server.requests(io.milvus.grpc.SearchRequest.class).getFirst();
        assertThat(params(search.getSearchParamsList())).containsEntry("anns_field", "dense")
                .containsEntry("metric_type", "COSINE").containsEntry("topk", "80")
                .hasEntrySatisfying("params", p -> assertThat(p).contains("\"ef\":80"));
        assertThatThrownBy(() -> index.search(Caller.of(ACME, "alice", List.of()),
                SearchRequest.dense(new float[] {1, 2, 3}, 3))).isInstanceOf(EmbeddingMismatchException.class);
    }

    @Test
    void hybridSearchSendsBothSearchesWithTheAccessFilterAndAnRrfRanker() {
        recordedEmbedding();
        Caller caller = Caller.of(ACME, "alice", List.of("eng"));
        SearchFilter filter = SearchFilter.metadata(Map.of("team", "hr"));

        index.searchHybrid(caller, SearchRequest.dense(new float[] {1, 0, 0, 0}, 20).withFilter(filter),
                SearchRequest.bm25("leave policy", 20).withFilter(filter), 10, 42);

        HybridSearchRequest hybrid = server.requests(HybridSearchRequest.class).getFirst();
        assertThat(hybrid.getCollectionName()).isEqualTo(CHUNKS);
        assertThat(hybrid.getRequestsList()).hasSize(2);
        assertThat(hybrid.getRequestsList()).extracting(r -> params(r.getSearchParamsList()).get("anns_field"))
                .containsExactly("dense", "sparse");
        assertThat(hybrid.getRequestsList()).extracting(r -> params(r.getSearchParamsList()).get("metric_type"))
                .containsExactly("COSINE", "BM25");
        assertThat(hybrid.getRequestsList()).allSatisfy(r -> {
            assertThat(r.getDsl()).isEqualTo("tenant_id == {tenant} and ARRAY_CONTAINS_ANY(acl, {principals})"
                    + " and meta[\"team\"] == {meta0}");
            assertThat(r.getExprTemplateValuesMap().get("tenant").getStringVal()).isEqualTo(ACME);
            assertThat(r.getExprTemplateValuesMap().get("principals").getArrayVal().getStringData().getDataList())
                    .containsExactlyInAnyOrder("user:alice", "group:eng", "public");
            assertThat(r.getExprTemplateValuesMap().get("meta0").getStringVal()).isEqualTo("hr");
        });
        FunctionSchema ranker = hybrid.getFunctionScore().getFunctions(0);
        assertThat(ranker.getType()).isEqualTo(FunctionType.Rerank);
        assertThat(params(ranker.getParamsList())).containsEntry("reranker", "rrf").containsEntry("k", "42");
        assertThat(params(hybrid.getRankParamsList())).containsEntry("limit", "20");
        assertThat(hybrid.getOutputFieldsList()).contains("chunk_id", "tenant_id", "acl", "text", "citation")
                .doesNotContain("dense", "sparse");
    }

    @Test
    void mapsReturnedRowsToHitsAndDropsAVersionThatANewerOneReplaces() {
        recordedEmbedding();
        server.searchAnswer = request -> List.of(
                new FakeMilvusServer.Scored(chunkRow("a-v2", "guide", 2, List.of("public"), "new words"), 0.6f),
                new FakeMilvusServer.Scored(chunkRow("a-v1", "guide", 1, List.of("public"), "old words"), 0.2f),
                new FakeMilvusServer.Scored(chunkRow("b-v1", "faq", 1, List.of("group:eng"), "other words"), -0.2f));

        List<ChunkHit> hits = index.search(Caller.of(ACME, "alice", List.of("eng")),
                SearchRequest.dense(new float[] {1, 0, 0, 0}, 5));

        assertThat(hits).extracting(ChunkHit::chunkId).containsExactly("a-v2", "b-v1");
        ChunkHit first = hits.getFirst();
        assertThat(first.documentId()).isEqualTo("guide");
        assertThat(first.version()).isEqualTo(2);
        assertThat(first.ordinal()).isEqualTo(3);
        assertThat(first.title()).isEqualTo("Guide");
        assertThat(first.source()).isNull();
        assertThat(first.text()).isEqualTo("new words");
        assertThat(first.headingPath()).containsExactly("Part 1", "Leave");
        assertThat(first.page()).isEqualTo(4);
        assertThat(first.startOffset()).isEqualTo(10);
        assertThat(first.endOffset()).isEqualTo(19);
        assertThat(first.metadata()).containsExactlyEntriesOf(Map.of("lang", "en"));
        assertThat(first.highlights()).isEmpty();
        // cosine 0.6 and -0.2 mapped to [0, 1]
        assertThat(hits).extracting(ChunkHit::score).containsExactly(0.8f, 0.4f);

        List<ChunkHit> bm25 = index.search(Caller.of(ACME, "alice", List.of("eng")), SearchRequest.bm25("words", 5));
        assertThat(bm25.getFirst().score()).isEqualTo(0.6f);
        assertThat(bm25.getFirst().highlights()).extracting(h -> "new words".substring(h.start(), h.end()))
                .containsExactly("words");
    }

    /**
     * Random callers and random rows from the server, some readable by the caller and some not: every search's
     * template values are exactly the caller's tenant and principals, every hit is readable by the caller, and a
     * search whose answer holds a forbidden row is refused rather than returned.
     */
    @Test
    void randomCallersGetOnlyReadableHitsOrARefusal() {
        recordedEmbedding();
        Random random = new Random(Long.getLong("kb.test.seed", 20_261_123L));
        List<String> tenants = List.of("acme", "globex");
        List<String> principals = List.of("public", "user:alice", "user:bob", "group:eng", "group:hr", "group:board");
        int refused = 0;
        int answered = 0;
        for (int round = 0; round < 200; round++) {
            Caller caller = new Caller(tenants.get(random.nextInt(2)),
                    sample(random, principals, 1 + random.nextInt(3)));
            List<FakeMilvusServer.Scored> rows = new ArrayList<>();
            for (int r = 0; r < random.nextInt(6); r++) {
                Map<String, Object> row = chunkRow("c" + r, "d" + r, 1, sample(random, principals, 1 + random.nextInt(2)),
                        "text " + r);
                row.put("tenant_id", tenants.get(random.nextInt(2)));
                rows.add(new FakeMilvusServer.Scored(row, 1f / (r + 1)));
            }
            server.searchAnswer = request -> rows;
            AccessFilter access = AccessFilter.of(caller);
            boolean allReadable = rows.stream().allMatch(s -> access.permits((String) s.row().get("tenant_id"),
                    ChunkRows.aclOf(s.row())));
            SearchRequest request = random.nextBoolean() ? SearchRequest.bm25("text", 5)
                    : SearchRequest.dense(new float[] {1, 1, 0, 0}, 5);
            server.requests.clear();

            if (allReadable) {
                List<ChunkHit> hits = index.search(caller, request);
                assertThat(hits).hasSize(Math.min(5, rows.size()));
                answered++;
            } else {
                assertThatThrownBy(() -> index.search(caller, request)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("forbids");
                refused++;
            }
            Map<String, TemplateValue> values = server.requests(io.milvus.grpc.SearchRequest.class).getFirst()
                    .getExprTemplateValuesMap();
            assertThat(values.get("tenant").getStringVal()).isEqualTo(caller.tenant());
            assertThat(new HashSet<>(values.get("principals").getArrayVal().getStringData().getDataList()))
                    .isEqualTo(access.principals());
        }
        assertThat(refused).as("rounds with a forbidden row").isPositive();
        assertThat(answered).as("rounds with readable rows only").isPositive();
    }

    // ---- connection and readiness ---------------------------------------------------------------

    @Test
    void startsWithMilvusDownAndBecomesReadyWhenItAppears() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (MilvusChunkIndex lazy = new MilvusChunkIndex(
                settings("http://127.0.0.1:" + port, "root:s3cret-token", Duration.ofSeconds(2)))) {
            ChunkIndexHealthIndicator health = new ChunkIndexHealthIndicator(lazy);

            assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.health().getDetails().toString()).contains("127.0.0.1:" + port)
                    .doesNotContain("s3cret");
            assertThatThrownBy(() -> lazy.search(Caller.of(ACME, "alice", List.of()), SearchRequest.bm25("x", 1)))
                    .isInstanceOf(MilvusUnavailableException.class)
                    .hasMessageNotContaining("s3cret");

            try (FakeMilvusServer late = FakeMilvusServer.startOn(port)) {
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                assertThat(health.health().getDetails()).containsEntry("chunks", 0L).containsEntry("documents", 0L);
                assertThat(late.collections).containsKey(DOCUMENTS);
            }
        }
    }

    @Test
    void neverShowsTheToken() {
        IndexProperties.Milvus withToken = settings(server.uri(), "root:s3cret-token");

        assertThat(withToken.toString()).doesNotContain("s3cret").contains("token=(set)");
        try (MilvusChunkIndex secured = new MilvusChunkIndex(withToken)) {
            assertThat(secured.toString()).doesNotContain("s3cret");
            assertThat(secured.target()).doesNotContain("s3cret");
        }
    }

    @Test
    void refusesCallsAfterClose() {
        index.close();

        assertThatThrownBy(() -> index.search(Caller.of(ACME, "alice", List.of()), SearchRequest.bm25("x", 1)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.apply(ChunkBatch.delete(ACME, "d", 1))).isInstanceOf(IllegalStateException.class);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Generous timeouts: the first connection of a JVM loads Netty, slow on a busy build machine. */
    private static IndexProperties.Milvus settings(String uri, String token) {
        return settings(uri, token, Duration.ofSeconds(10));
    }

    private static IndexProperties.Milvus settings(String uri, String token, Duration connectTimeout) {
        return new IndexProperties.Milvus(URI.create(uri), token, "", "kb", IndexProperties.Consistency.STRONG,
                connectTimeout, Duration.ofSeconds(10), IndexProperties.TextAnalyzer.CJK_ENGLISH, 16, 200, 64);
    }

    /** Milvus holds an index of {@link #MODEL} already: the documents collection records it. */
    private void recordedEmbedding() {
        server.queryAnswer = request -> keyOf(request).equals("#embedding") ? List.of(embeddingRow(MODEL)) : List.of();
        index.stats();
        server.requests.clear();
    }

    private static ChunkBatch batch(String documentId, long version, List<String> acl, Map<String, String> metadata,
            String... texts) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            float[] vector = new float[4];
            vector[i % 4] = 1;
            chunks.add(new Chunk(ChunkIds.of(ACME, documentId, version, i), i, texts[i], vector, List.of("H"), null,
                    0, texts[i].length()));
        }
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, ACME, documentId, version, "Title", null,
                null, acl, metadata, MODEL, chunks);
    }

    private static String keyOf(QueryRequest request) {
        TemplateValue key = request.getExprTemplateValuesMap().get("key");
        return key == null ? "" : key.getStringVal();
    }

    private static Map<String, Object> embeddingRow(EmbeddingInfo embedding) {
        Map<String, Object> row = new HashMap<>();
        row.put("doc_key", "#embedding");
        row.put("version", 0L);
        row.put("state", "embedding");
        row.put("info", "{\"model\":\"" + embedding.model() + "\",\"dimension\":" + embedding.dimension() + "}");
        return row;
    }

    private static Map<String, Object> documentRow(String key, long version, int chunks) {
        Map<String, Object> row = new HashMap<>();
        row.put("doc_key", key);
        row.put("version", version);
        row.put("state", "live");
        row.put("info", "{\"chunks\":" + chunks + "}");
        return row;
    }

    private static Map<String, Object> chunkRow(String id, String documentId, long version, List<String> acl,
            String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("chunk_id", id);
        row.put("tenant_id", ACME);
        row.put("doc_id", documentId);
        row.put("version", version);
        row.put("ordinal", 3);
        row.put("text", text);
        row.put("acl", acl);
        row.put("meta", "{\"lang\":\"en\"}");
        row.put("citation", "{\"title\":\"Guide\",\"headings\":[\"Part 1\",\"Leave\"],\"page\":4,\"start\":10,\"end\":19}");
        return row;
    }

    private static List<String> sample(Random random, List<String> from, int count) {
        List<String> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, count);
    }

    private static Map<String, String> params(List<KeyValuePair> pairs) {
        Map<String, String> map = new HashMap<>();
        pairs.forEach(p -> map.put(p.getKey(), p.getValue()));
        return map;
    }

    private static FieldData column(UpsertRequest request, String field) {
        return request.getFieldsDataList().stream().filter(f -> f.getFieldName().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no column " + field + " in the upsert"));
    }

    private static List<String> strings(UpsertRequest request, String field) {
        return column(request, field).getScalars().getStringData().getDataList();
    }

    private static TemplateValue string(String value) {
        return TemplateValue.newBuilder().setStringVal(value).build();
    }
}
