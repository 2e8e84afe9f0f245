package io.kb.retrieval.index.milvus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.AccessFilter;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ApplyResult;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.HybridChunkIndex;
import io.kb.retrieval.index.IndexProperties;
import io.kb.retrieval.index.IndexStats;
import io.kb.retrieval.index.SearchMode;
import io.kb.retrieval.index.SearchRequest;
import io.kb.retrieval.index.lucene.Bm25Highlighter;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.ConsistencyLevel;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.exception.MilvusClientException;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.HasCollectionReq;
import io.milvus.v2.service.collection.request.LoadCollectionReq;
import io.milvus.v2.service.vector.request.AnnSearchReq;
import io.milvus.v2.service.vector.request.DeleteReq;
import io.milvus.v2.service.vector.request.FunctionScore;
import io.milvus.v2.service.vector.request.HybridSearchReq;
import io.milvus.v2.service.vector.request.QueryReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.BaseVector;
import io.milvus.v2.service.vector.request.data.EmbeddedText;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.request.ranker.RRFRanker;
import io.milvus.v2.service.vector.response.QueryResp;
import io.milvus.v2.service.vector.response.SearchResp;

/**
 * The chunk index on a Milvus 2.6 server or cluster, through the Milvus Java SDK v2: one chunk collection per
 * embedding model (tenant as partition key, BM25 function on the text, HNSW on the dense vector) and a documents
 * collection with every document's version; see {@link ChunkRows} for the layout. Dense, BM25 and hybrid search
 * (Milvus's {@code hybridSearch} with an RRF ranker) run with the caller's tenant and principals in the filter
 * expression, as template values ({@link AccessExpression}).
 *
 * <p><b>What is atomic, and how readers are protected.</b> Milvus has no transactions across requests. An upsert
 * batch is applied as (1) one upsert request with all the new version's chunk rows, whose ids differ from the old
 * version's, (2) one delete request for the document's rows of other versions, (3) an upsert of the document's row
 * with its version. Milvus stamps all rows of one request with one timestamp, so a search sees all of a version's
 * chunks or none of them; between (1) and (2) it may see both versions, never neither. Every search therefore drops
 * a hit whose document has a hit of a newer version in the same answer, and asks Milvus for twice {@code k}
 * candidates so that the dropped ones rarely leave fewer than {@code k}. A crash between the steps leaves old rows
 * or an old document version behind until the batch is delivered again, which the consumer does because it commits
 * the offset only after {@link #apply} returns; the chunk ids make the redelivery overwrite rather than duplicate.
 * A delete removes the chunks first and then records the removal. Applies of one index are serialized by a lock;
 * one document's batches come from one Kafka partition, so two instances do not write the same document at once.
 *
 * <p>The client connects on first use ({@link MilvusConnection}): the service starts while Milvus is down, and
 * calls fail with {@link MilvusUnavailableException} until it is back.
 */
public final class MilvusChunkIndex implements HybridChunkIndex {

    /** Candidates asked for per hit wanted, so that dropping superseded versions rarely leaves fewer than k. */
    private static final int CANDIDATE_FACTOR = 2;
    /** Milvus's largest topk. */
    private static final int MAX_LIMIT = 16_384;

    private final IndexProperties.Milvus settings;
    private final MilvusConnection connection;
    private final ConsistencyLevel consistency;
    private final String documentsCollection;
    private final Bm25Highlighter highlighter = new Bm25Highlighter();
    private final ReentrantLock applyLock = new ReentrantLock();
    private final ReentrantLock setupLock = new ReentrantLock();

    private volatile boolean documentsReady;
    private volatile EmbeddingInfo embedding;
    private volatile boolean closed;

    /**
     * An index on the Milvus that {@code settings} names; nothing is connected or created until the first call.
     *
     * @param settings where Milvus is, the collection prefix and the search settings
     */
    public MilvusChunkIndex(IndexProperties.Milvus settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.connection = new MilvusConnection(settings);
        this.consistency = ConsistencyLevel.valueOf(settings.consistencyLevel().name());
        this.documentsCollection = ChunkRows.documentsCollection(settings.collectionPrefix());
    }

    @Override
    public ApplyResult apply(ChunkBatch batch) {
        Objects.requireNonNull(batch, "batch");
        applyLock.lock();
        try {
            ensureOpen();
            return call("apply version " + batch.version() + " of " + batch.tenant() + "/" + batch.documentId(), () -> {
                ensureDocuments();
                if (batch.operation() == Operation.UPSERT) {
                    EmbeddingInfo indexed = embedding;
                    if (indexed != null && !indexed.equals(batch.embedding())) {
                        throw new EmbeddingMismatchException(indexed, batch.embedding());
                    }
                }
                Map<String, Object> held = documentRow(batch.tenant(), batch.documentId());
                if (held != null) {
                    long heldVersion = ((Number) held.get(ChunkRows.VERSION)).longValue();
                    if (batch.version() < heldVersion) {
                        return new ApplyResult(ApplyResult.Outcome.STALE, batch.tenant(), batch.documentId(),
                                batch.version(), heldVersion, ChunkRows.chunkCountOf(held));
                    }
                }
                return batch.operation() == Operation.UPSERT ? upsert(batch) : remove(batch);
            });
        } finally {
            applyLock.unlock();
        }
    }

    @Override
    public List<ChunkHit> search(Caller caller, SearchRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
        ensureOpen();
        AccessFilter access = AccessFilter.of(caller);
        AccessExpression filter = AccessExpression.of(access, request.filter());
        if (request.mode() == SearchMode.BM25 && !highlighter.hasTerms(request.queryText())) {
            return List.of(); // only stop words or punctuation: nothing to rank by
        }
        return call("search the chunk index", () -> {
            ensureDocuments();
            EmbeddingInfo indexed = embedding;
            if (indexed == null) {
                return List.of();
            }
            SearchReq.SearchReqBuilder search = SearchReq.builder()
                    .collectionName(ChunkRows.chunkCollection(settings.collectionPrefix(), indexed))
                    .filter(filter.expression())
                    .filterTemplateValues(new HashMap<>(filter.values()))
                    .limit(candidates(request.k()))
                    .outputFields(ChunkRows.HIT_FIELDS)
                    .consistencyLevel(consistency);
            if (request.mode() == SearchMode.DENSE) {
                float[] vector = requireDimension(indexed, request.queryVector());
                search.annsField(ChunkRows.DENSE).metricType(IndexParam.MetricType.COSINE)
                        .data(List.of(new FloatVec(vector)))
                        .searchParams(Map.of("ef", Math.max(settings.searchEf(), candidates(request.k()))));
            } else {
                search.annsField(ChunkRows.SPARSE).metricType(IndexParam.MetricType.BM25)
                        .data(List.of(new EmbeddedText(request.queryText())));
            }
            SearchResp response = connection.client().search(search.build());
            return hits(access, response, request.k(), request.mode() == SearchMode.BM25 ? request.queryText() : null,
                    request.mode() == SearchMode.DENSE);
        });
    }

    @Override
    public List<ChunkHit> searchHybrid(Caller caller, SearchRequest dense, SearchRequest bm25, int k, int rrfK) {
        Objects.requireNonNull(caller, "caller");
        if (dense.mode() != SearchMode.DENSE || bm25.mode() != SearchMode.BM25) {
            throw new IllegalArgumentException("a hybrid search takes one DENSE and one BM25 request");
        }
        if (!dense.filter().equals(bm25.filter())) {
            throw new IllegalArgumentException("the dense and BM25 requests of a hybrid search must have one filter");
        }
        if (k < 1 || k > SearchRequest.MAX_K || rrfK < 1) {
            throw new IllegalArgumentException("a hybrid search needs 1 <= k <= " + SearchRequest.MAX_K
                    + " and rrfK >= 1, was k=" + k + ", rrfK=" + rrfK);
        }
        ensureOpen();
        if (!highlighter.hasTerms(bm25.queryText())) {
            List<ChunkHit> hits = search(caller, dense);
            return hits.subList(0, Math.min(k, hits.size()));
        }
        AccessFilter access = AccessFilter.of(caller);
        AccessExpression filter = AccessExpression.of(access, dense.filter());
        return call("hybrid-search the chunk index", () -> {
            ensureDocuments();
            EmbeddingInfo indexed = embedding;
            if (indexed == null) {
                return List.of();
            }
            float[] vector = requireDimension(indexed, dense.queryVector());
            int denseLimit = candidates(dense.k());
            AnnSearchReq denseSearch = AnnSearchReq.builder()
                    .vectorFieldName(ChunkRows.DENSE)
                    .vectors(List.<BaseVector>of(new FloatVec(vector)))
                    .metricType(IndexParam.MetricType.COSINE)
                    .params("{\"ef\": " + Math.max(settings.searchEf(), denseLimit) + "}")
                    .limit(denseLimit)
                    .filter(filter.expression())
                    .filterTemplateValues(new HashMap<>(filter.values()))
                    .build();
            AnnSearchReq bm25Search = AnnSearchReq.builder()
                    .vectorFieldName(ChunkRows.SPARSE)
                    .vectors(List.<BaseVector>of(new EmbeddedText(bm25.queryText())))
                    .metricType(IndexParam.MetricType.BM25)
                    .limit(candidates(bm25.k()))
                    .filter(filter.expression())
                    .filterTemplateValues(new HashMap<>(filter.values()))
                    .build();
            SearchResp response = connection.client().hybridSearch(HybridSearchReq.builder()
                    .collectionName(ChunkRows.chunkCollection(settings.collectionPrefix(), indexed))
                    .searchRequests(List.of(denseSearch, bm25Search))
                    .functionScore(FunctionScore.builder().addFunction(RRFRanker.builder().k(rrfK).build()).build())
                    .limit(candidates(k))
                    .outFields(ChunkRows.HIT_FIELDS)
                    .consistencyLevel(consistency)
                    .build());
            return hits(access, response, k, bm25.queryText(), false);
        });
    }

    @Override
    public Optional<Long> storedVersion(String tenant, String documentId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        return call("read the version of " + tenant + "/" + documentId, () -> {
            ensureDocuments();
            Map<String, Object> row = documentRow(tenant, documentId);
            return row == null ? Optional.<Long>empty() : Optional.of(((Number) row.get(ChunkRows.VERSION)).longValue());
        });
    }

    @Override
    public IndexStats stats() {
        ensureOpen();
        return call("count the chunk index", () -> {
            ensureDocuments();
            long documents = count(documentsCollection, ChunkRows.STATE + " == {state}",
                    Map.of("state", ChunkRows.LIVE));
            EmbeddingInfo indexed = embedding;
            long chunks = indexed == null ? 0 : count(ChunkRows.chunkCollection(settings.collectionPrefix(), indexed),
                    ChunkRows.CHUNK_ID + " != \"\"", Map.of());
            // Milvus reports no storage size through its client API.
            return new IndexStats(chunks, documents, indexed, 0);
        });
    }

    /** Disconnects; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        applyLock.lock();
        try {
            closed = true;
            connection.close();
        } finally {
            applyLock.unlock();
        }
    }

    /** Where the index lives, for health details: the URI and database, never the token. */
    public String target() {
        return connection.target();
    }

    @Override
    public String toString() {
        return "MilvusChunkIndex[" + connection.target() + ", " + settings.collectionPrefix() + "]";
    }

    // ---- writes ---------------------------------------------------------------------------------

    private ApplyResult upsert(ChunkBatch batch) {
        MilvusClientV2 client = connection.client();
        EmbeddingInfo indexed = ensureChunkCollection(batch.embedding());
        String chunks = ChunkRows.chunkCollection(settings.collectionPrefix(), indexed);
        if (!batch.chunks().isEmpty()) {
            client.upsert(UpsertReq.builder().collectionName(chunks).data(ChunkRows.chunks(batch)).build());
        }
        client.delete(DeleteReq.builder().collectionName(chunks)
                .filter(ChunkRows.TENANT + " == {tenant} and " + ChunkRows.DOCUMENT_ID + " == {document} and "
                        + ChunkRows.VERSION + " != {version}")
                .filterTemplateValues(new HashMap<>(Map.of("tenant", batch.tenant(), "document", batch.documentId(),
                        "version", batch.version())))
                .build());
        client.upsert(UpsertReq.builder().collectionName(documentsCollection)
                .data(List.of(ChunkRows.documentRow(batch, ChunkRows.LIVE, batch.chunks().size()))).build());
        return new ApplyResult(ApplyResult.Outcome.INDEXED, batch.tenant(), batch.documentId(), batch.version(),
                batch.version(), batch.chunks().size());
    }

    private ApplyResult remove(ChunkBatch batch) {
        MilvusClientV2 client = connection.client();
        EmbeddingInfo indexed = embedding;
        if (indexed != null) {
            client.delete(DeleteReq.builder().collectionName(ChunkRows.chunkCollection(settings.collectionPrefix(), indexed))
                    .filter(ChunkRows.TENANT + " == {tenant} and " + ChunkRows.DOCUMENT_ID + " == {document}")
                    .filterTemplateValues(new HashMap<>(Map.of("tenant", batch.tenant(), "document", batch.documentId())))
                    .build());
        }
        client.upsert(UpsertReq.builder().collectionName(documentsCollection)
                .data(List.of(ChunkRows.documentRow(batch, ChunkRows.REMOVED, 0))).build());
        return new ApplyResult(ApplyResult.Outcome.DELETED, batch.tenant(), batch.documentId(), batch.version(),
                batch.version(), 0);
    }

    // ---- collections ----------------------------------------------------------------------------

    /** Creates and loads the documents collection when missing, and reads the recorded embedding, once. */
    private void ensureDocuments() {
        if (documentsReady) {
            return;
        }
        setupLock.lock();
        try {
            if (documentsReady) {
                return;
            }
            MilvusClientV2 client = connection.client();
            if (!client.hasCollection(HasCollectionReq.builder().collectionName(documentsCollection).build())) {
                create(client, documentsCollection, ChunkRows.documentsSchema(), ChunkRows.documentsIndexes());
            } else {
                load(client, documentsCollection);
            }
            Map<String, Object> row = row(documentsCollection, ChunkRows.EMBEDDING_KEY);
            if (row != null) {
                EmbeddingInfo recorded = ChunkRows.embeddingOf(row);
                String chunks = ChunkRows.chunkCollection(settings.collectionPrefix(), recorded);
                if (!client.hasCollection(HasCollectionReq.builder().collectionName(chunks).build())) {
                    create(client, chunks, ChunkRows.chunkSchema(recorded.dimension(), settings.analyzer()),
                            ChunkRows.chunkIndexes(settings));
                } else {
                    load(client, chunks);
                }
                embedding = recorded;
            }
            documentsReady = true;
        } finally {
            setupLock.unlock();
        }
    }

    /** The index's embedding: the recorded one, or the batch's, for which the chunk collection is made now. */
    private EmbeddingInfo ensureChunkCollection(EmbeddingInfo offered) {
        EmbeddingInfo indexed = embedding;
        if (indexed != null) {
            return indexed;
        }
        MilvusClientV2 client = connection.client();
        String chunks = ChunkRows.chunkCollection(settings.collectionPrefix(), offered);
        if (!client.hasCollection(HasCollectionReq.builder().collectionName(chunks).build())) {
            create(client, chunks, ChunkRows.chunkSchema(offered.dimension(), settings.analyzer()),
                    ChunkRows.chunkIndexes(settings));
        } else {
            load(client, chunks);
        }
        client.upsert(UpsertReq.builder().collectionName(documentsCollection)
                .data(List.of(ChunkRows.embeddingRow(offered))).build());
        embedding = offered;
        return offered;
    }

    private void create(MilvusClientV2 client, String name, CreateCollectionReq.CollectionSchema schema,
            List<IndexParam> indexes) {
        client.createCollection(CreateCollectionReq.builder()
                .collectionName(name)
                .description("kb chunk index")
                .collectionSchema(schema)
                .indexParams(indexes)
                .consistencyLevel(consistency)
                .build());
        load(client, name);
    }

    /** Loads a collection and waits until it can be searched. */
    private void load(MilvusClientV2 client, String name) {
        client.loadCollection(LoadCollectionReq.builder().collectionName(name).sync(true)
                .timeout(settings.requestTimeout().toMillis()).build());
    }

    // ---- reads ----------------------------------------------------------------------------------

    private Map<String, Object> documentRow(String tenant, String documentId) {
        return row(documentsCollection, ChunkRows.docKey(tenant, documentId));
    }

    /** One documents-collection row by key, read with strong consistency: version checks must see every write. */
    private Map<String, Object> row(String collection, String key) {
        QueryResp response = connection.client().query(QueryReq.builder()
                .collectionName(collection)
                .filter(ChunkRows.DOC_KEY + " == {key}")
                .filterTemplateValues(new HashMap<>(Map.of("key", key)))
                .outputFields(List.of(ChunkRows.DOC_KEY, ChunkRows.VERSION, ChunkRows.STATE, ChunkRows.INFO))
                .limit(1)
                .consistencyLevel(ConsistencyLevel.STRONG)
                .build());
        List<QueryResp.QueryResult> results = response.getQueryResults();
        return results.isEmpty() ? null : results.getFirst().getEntity();
    }

    private long count(String collection, String expression, Map<String, Object> values) {
        QueryResp response = connection.client().query(QueryReq.builder()
                .collectionName(collection)
                .filter(expression)
                .filterTemplateValues(new HashMap<>(values))
                .outputFields(List.of("count(*)"))
                .consistencyLevel(consistency)
                .build());
        List<QueryResp.QueryResult> results = response.getQueryResults();
        return results.isEmpty() ? 0 : ((Number) results.getFirst().getEntity().get("count(*)")).longValue();
    }

    /**
     * The hits of a search's only query: each checked against the access rule (the filter is inside the query, so
     * a forbidden hit means a broken filter, and the search is refused rather than leak it), superseded versions
     * dropped, at most {@code k}.
     */
    private List<ChunkHit> hits(AccessFilter access, SearchResp response, int k, String queryText, boolean dense) {
        List<List<SearchResp.SearchResult>> lists = response.getSearchResults();
        if (lists.isEmpty()) {
            return List.of();
        }
        List<SearchResp.SearchResult> results = lists.getFirst();
        Map<String, Long> newest = new HashMap<>();
        for (SearchResp.SearchResult result : results) {
            Map<String, Object> entity = result.getEntity();
            String tenant = (String) entity.get(ChunkRows.TENANT);
            if (!access.permits(tenant, ChunkRows.aclOf(entity))) {
                throw new IllegalStateException("Milvus returned chunk " + entity.get(ChunkRows.CHUNK_ID)
                        + " that the access filter forbids; the search is refused");
            }
            newest.merge((String) entity.get(ChunkRows.DOCUMENT_ID), ((Number) entity.get(ChunkRows.VERSION)).longValue(),
                    Math::max);
        }
        List<ChunkHit> hits = new ArrayList<>(Math.min(k, results.size()));
        for (SearchResp.SearchResult result : results) {
            if (hits.size() == k) {
                break;
            }
            Map<String, Object> entity = result.getEntity();
            long version = ((Number) entity.get(ChunkRows.VERSION)).longValue();
            if (version < newest.get((String) entity.get(ChunkRows.DOCUMENT_ID))) {
                continue; // an older version, between the upsert of the newer one and the delete of this one
            }
            // Milvus's cosine similarity is in [-1, 1]; the port's dense scores are in [0, 1], like Lucene's.
            float score = dense ? (1f + result.getScore()) / 2f : result.getScore();
            String text = (String) entity.get(ChunkRows.TEXT);
            hits.add(ChunkRows.hit(entity, score, queryText == null ? List.of()
                    : highlighter.highlights(queryText, text)));
        }
        return hits;
    }

    private static float[] requireDimension(EmbeddingInfo indexed, float[] vector) {
        if (vector.length != indexed.dimension()) {
            throw new EmbeddingMismatchException(indexed, new EmbeddingInfo(indexed.model(), vector.length));
        }
        return vector;
    }

    private static int candidates(int k) {
        return Math.min(k * CANDIDATE_FACTOR, MAX_LIMIT);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the Milvus chunk index at " + connection.target() + " is closed");
        }
    }

    /** Runs a call to Milvus, turning the client's failures into {@link MilvusUnavailableException}. */
    private <T> T call(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (MilvusClientException e) {
            throw new MilvusUnavailableException("cannot " + what + " in Milvus at " + connection.target() + ": "
                    + e.getMessage(), e);
        }
    }
}
