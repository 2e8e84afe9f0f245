package io.kb.retrieval.index.lucene;

import static io.kb.retrieval.index.lucene.ChunkDocuments.ACL;
import static io.kb.retrieval.index.lucene.ChunkDocuments.CHUNK;
import static io.kb.retrieval.index.lucene.ChunkDocuments.CHUNK_COUNT;
import static io.kb.retrieval.index.lucene.ChunkDocuments.DOCUMENT_ID;
import static io.kb.retrieval.index.lucene.ChunkDocuments.DOC_KEY;
import static io.kb.retrieval.index.lucene.ChunkDocuments.KIND;
import static io.kb.retrieval.index.lucene.ChunkDocuments.LIVE;
import static io.kb.retrieval.index.lucene.ChunkDocuments.MARKER;
import static io.kb.retrieval.index.lucene.ChunkDocuments.META_PREFIX;
import static io.kb.retrieval.index.lucene.ChunkDocuments.STATE;
import static io.kb.retrieval.index.lucene.ChunkDocuments.TENANT;
import static io.kb.retrieval.index.lucene.ChunkDocuments.TEXT;
import static io.kb.retrieval.index.lucene.ChunkDocuments.VECTOR;
import static io.kb.retrieval.index.lucene.ChunkDocuments.VERSION;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.AccessFilter;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.index.ApplyResult;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.Highlight;
import io.kb.retrieval.index.IndexStats;
import io.kb.retrieval.index.PartialApplyException;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.index.SearchRequest;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.LRUQueryCache;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryCachingPolicy;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * The embedded chunk index: one Lucene index in a directory on local disk, with HNSW vectors (cosine
 * on unit-length vectors), BM25 over the chunk text with {@link CjkEnglishAnalyzer}, and the access
 * filter and request filters as filter clauses of every query.
 *
 * <p>Every apply is one {@code updateDocuments} call keyed by tenant and document, which deletes the
 * old chunks and adds the new ones atomically, followed by a commit (the change survives a crash) and
 * a refresh of the near-real-time searcher (the next search sees it); {@link #applyAll} writes all of its batches
 * and commits and refreshes once. Applies are serialized by a
 * lock, so the version check and the write cannot interleave; searches run concurrently on searchers
 * from a {@link SearcherManager}. The embedding model and dimension live in the commit's user data.
 */
public final class LuceneChunkIndex implements ChunkIndex {

    /** Lucene's default neighbours per HNSW node. */
    public static final int DEFAULT_HNSW_MAX_CONN = LuceneIndexSettings.DEFAULT_MAX_CONN;

    /** Lucene's default candidate list size while building the HNSW graph. */
    public static final int DEFAULT_HNSW_BEAM_WIDTH = LuceneIndexSettings.DEFAULT_BEAM_WIDTH;

    private static final String MODEL_KEY = "kb.embedding.model";
    private static final String DIMENSION_KEY = "kb.embedding.dimension";
    /** Lucene's own: a filter is not cached while its cost is over ten times that of the query it filters. */
    private static final float SKIP_CACHE_FACTOR = 10f;

    private final Path path;
    private final LuceneIndexSettings settings;
    private final Bm25Highlighter highlighter = new Bm25Highlighter(new CjkEnglishAnalyzer(), TEXT);
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final LRUQueryCache queryCache;
    private final ReentrantLock applyLock = new ReentrantLock();

    private volatile EmbeddingInfo embedding;
    private volatile boolean closed;

    /**
     * Opens the index in {@code path} with Lucene's default HNSW settings, creating it when absent.
     *
     * @param path the index directory
     */
    public LuceneChunkIndex(Path path) {
        this(path, LuceneIndexSettings.DEFAULTS);
    }

    /**
     * Opens the index in {@code path} with float32 vectors and Lucene's default buffer, creating it when absent.
     *
     * @param path the index directory; created with its parents when missing
     * @param hnswMaxConn neighbours per HNSW node, 1 to 512
     * @param hnswBeamWidth candidate list size while building the HNSW graph, 1 to 3200
     * @throws UncheckedIOException when the directory cannot be opened, or another process holds it
     */
    public LuceneChunkIndex(Path path, int hnswMaxConn, int hnswBeamWidth) {
        this(path, LuceneIndexSettings.withGraph(hnswMaxConn, hnswBeamWidth));
    }

    /**
     * Opens the index in {@code path}, creating it when absent.
     *
     * @param path the index directory; created with its parents when missing
     * @param settings how segments are written from now on
     * @throws UncheckedIOException when the directory cannot be opened, or another process holds it
     */
    public LuceneChunkIndex(Path path, LuceneIndexSettings settings) {
        this.path = Objects.requireNonNull(path, "path");
        this.settings = Objects.requireNonNull(settings, "settings");
        Directory openedDirectory = null;
        IndexWriter openedWriter = null;
        try {
            Files.createDirectories(path);
            openedDirectory = FSDirectory.open(path);
            this.embedding = recordedEmbedding(openedDirectory);
            IndexWriterConfig config = new IndexWriterConfig(highlighter.analyzer())
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(settings.ramBufferMb())
                    .setCodec(new HnswCodec(settings));
            openedWriter = new IndexWriter(openedDirectory, config);
            this.queryCache = queryCache(settings);
            this.searchers = new SearcherManager(openedWriter, new CachingSearcherFactory(queryCache));
        } catch (IOException e) {
            IOUtils.closeWhileHandlingException(openedWriter, openedDirectory);
            throw new UncheckedIOException("cannot open the chunk index at " + path + ": " + e.getMessage(), e);
        }
        this.directory = openedDirectory;
        this.writer = openedWriter;
    }

    @Override
    public ApplyResult apply(ChunkBatch batch) {
        Objects.requireNonNull(batch, "batch");
        applyLock.lock();
        try {
            ensureOpen();
            // A refresh that failed after an earlier commit would leave the version check blind to it.
            searchers.maybeRefreshBlocking();
            ApplyResult result = write(batch, new HashMap<>());
            if (result.outcome() != ApplyResult.Outcome.STALE) {
                commitAndRefresh();
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply version " + batch.version() + " of " + batch.tenant() + "/"
                    + batch.documentId() + " to the chunk index at " + path + ": " + e.getMessage(), e);
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Writes every batch and commits once: the file sync and the new searcher, which cost more than the writes of a
     * few batches, are paid once per list. A batch refused before its write (another model, a chunk that cannot be
     * indexed) ends the list: the batches before it are committed, then {@link PartialApplyException} says which
     * one failed.
     */
    @Override
    public List<ApplyResult> applyAll(List<ChunkBatch> batches) {
        Objects.requireNonNull(batches, "batches");
        if (batches.isEmpty()) {
            return List.of();
        }
        applyLock.lock();
        try {
            ensureOpen();
            searchers.maybeRefreshBlocking();
            // The searcher does not see the writes of this call until the commit: their markers are kept here.
            Map<String, Marker> written = new HashMap<>();
            List<ApplyResult> results = new ArrayList<>(batches.size());
            RuntimeException refused = null;
            for (ChunkBatch batch : batches) {
                try {
                    results.add(write(batch, written));
                } catch (EmbeddingMismatchException | ContractViolationException e) {
                    refused = e;
                    break;
                }
            }
            if (!written.isEmpty()) {
                commitAndRefresh();
            }
            if (refused != null) {
                throw new PartialApplyException(results.size(), results, refused);
            }
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply " + batches.size() + " batches to the chunk index at " + path
                    + ": " + e.getMessage(), e);
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * Checks one batch against the version the index holds (or that an earlier batch of the same call wrote) and
     * writes it, without committing. Called with the apply lock held.
     *
     * @param written the markers written since the last commit, by document key; updated here
     * @throws EmbeddingMismatchException before any write, when the batch's model is not the index's
     * @throws ContractViolationException before any write, when a chunk cannot be indexed
     */
    private ApplyResult write(ChunkBatch batch, Map<String, Marker> written) throws IOException {
        if (batch.operation() == Operation.UPSERT) {
            requireIndexedEmbedding(batch.embedding());
        }
        String documentKey = ChunkDocuments.key(batch.tenant(), batch.documentId());
        Marker held = written.containsKey(documentKey) ? written.get(documentKey)
                : marker(batch.tenant(), batch.documentId());
        if (held != null && batch.version() < held.version()) {
            return new ApplyResult(ApplyResult.Outcome.STALE, batch.tenant(), batch.documentId(), batch.version(),
                    held.version(), held.chunkCount());
        }
        Term key = new Term(DOC_KEY, documentKey);
        ApplyResult result;
        if (batch.operation() == Operation.UPSERT) {
            List<Document> documents = ChunkDocuments.upsert(batch);
            if (embedding == null) {
                embedding = batch.embedding();
            }
            writer.updateDocuments(key, documents);
            result = new ApplyResult(ApplyResult.Outcome.INDEXED, batch.tenant(), batch.documentId(),
                    batch.version(), batch.version(), batch.chunks().size());
        } else {
            writer.updateDocument(key, ChunkDocuments.tombstone(batch));
            result = new ApplyResult(ApplyResult.Outcome.DELETED, batch.tenant(), batch.documentId(),
                    batch.version(), batch.version(), 0);
        }
        written.put(documentKey, new Marker(result.storedVersion(), result.chunkCount()));
        return result;
    }

    /** Makes what was written durable (with the index's model in the commit) and visible to the next search. */
    private void commitAndRefresh() throws IOException {
        if (embedding != null) {
            writer.setLiveCommitData(Map.of(MODEL_KEY, embedding.model(),
                    DIMENSION_KEY, Integer.toString(embedding.dimension())).entrySet());
        }
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    @Override
    public List<ChunkHit> search(Caller caller, SearchRequest request) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(request, "request");
        ensureOpen();
        AccessFilter access = AccessFilter.of(caller);
        Query filter = filterQuery(access, request.filter());
        Query textQuery = null;
        float[] unit = null;
        int collect = request.k();
        Query query;
        switch (request.mode()) {
            case DENSE -> {
                EmbeddingInfo indexed = embedding;
                if (indexed == null) {
                    return List.of();
                }
                float[] vector = request.queryVector();
                if (vector.length != indexed.dimension()) {
                    throw new EmbeddingMismatchException(indexed, new EmbeddingInfo(indexed.model(), vector.length));
                }
                unit = ChunkDocuments.normalized("queryVector", vector);
                // Built below, once the searcher says how many segments there are.
                query = null;
            }
            case BM25 -> {
                textQuery = highlighter.textQuery(request.queryText());
                if (textQuery == null) {
                    // Only stop words or punctuation: nothing to rank by.
                    return List.of();
                }
                query = new BooleanQuery.Builder().add(textQuery, Occur.MUST).add(filter, Occur.FILTER).build();
            }
            default -> throw new IllegalArgumentException("unknown search mode " + request.mode());
        }
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                if (unit != null) {
                    // The graph search keeps its best `collect`; the best k of those are returned below.
                    collect = searchDepth(settings.searchEf(), request.k(), searcher.getIndexReader().leaves().size());
                    query = new KnnFloatVectorQuery(VECTOR, unit, collect, filter);
                }
                ScoreDoc[] top = searcher.search(query, collect).scoreDocs;
                if (unit != null) {
                    top = nearest(searcher, top, unit, request.k());
                }
                StoredFields stored = searcher.storedFields();
                List<ChunkHit> hits = new ArrayList<>(top.length);
                for (ScoreDoc scoreDoc : top) {
                    Document document = stored.document(scoreDoc.doc);
                    requirePermitted(access, document);
                    List<Highlight> highlights = textQuery == null ? List.of()
                            : highlighter.highlights(textQuery, document.get(TEXT));
                    hits.add(ChunkDocuments.hit(document, scoreDoc.score, highlights));
                }
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the chunk index at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Long> storedVersion(String tenant, String documentId) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        try {
            Marker marker = marker(tenant, documentId);
            return marker == null ? Optional.empty() : Optional.of(marker.version());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chunk index at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public IndexStats stats() {
        ensureOpen();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                long chunks = searcher.count(new TermQuery(new Term(KIND, CHUNK)));
                long documents = searcher.count(new BooleanQuery.Builder()
                        .add(new TermQuery(new Term(KIND, MARKER)), Occur.FILTER)
                        .add(new TermQuery(new Term(STATE, LIVE)), Occur.FILTER)
                        .build());
                return new IndexStats(chunks, documents, embedding, sizeOnDisk());
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chunk index at " + path + ": " + e.getMessage(), e);
        }
    }

    /** Commits nothing new (every apply has committed) and releases the directory and its lock. */
    @Override
    public void close() {
        applyLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            IOUtils.close(searchers, writer, directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the chunk index at " + path + ": " + e.getMessage(), e);
        } finally {
            applyLock.unlock();
        }
    }

    /**
     * How many neighbours a dense search collects: {@code search-ef} for an index of one segment, divided by the
     * square root of the segment count for more, never fewer than the {@code k} asked for. Lucene searches every
     * segment's graph on its own, from its own entry point, and a small graph is easier to search well than a big
     * one, so many segments reach a given recall with a smaller depth than one segment does. Measured at 1M chunks
     * (docs/index-scale.md): one segment needed a depth of 400 for recall@10 0.957, while twenty segments reached
     * 1.000 at a depth of 100, and their CPU per search grew with the depth (14.6 ms at 100, 19.5 ms at 200). A
     * fixed depth would have to choose between the two; this one follows the merges.
     */
    static int searchDepth(int searchEf, int k, int segments) {
        int depth = (int) Math.ceil(searchEf / Math.sqrt(Math.max(1, segments)));
        return Math.max(k, depth);
    }

    /**
     * The best {@code k} of the hits a dense search collected. Hits from segments written with a quantized encoding
     * are scored again by their 32-bit vectors first, all of them, not only the first {@code k}: the graph ranked
     * them by their codes, and a true neighbour that the codes put just below the k-th is still among the
     * collected ones. Scores are then exact cosines, comparable across segments and encodings. The test is per
     * segment, not the current setting, because an index written with one encoding keeps those segments until a
     * merge rewrites them. Done here rather than with Lucene's {@code RescoreTopNQuery}, which fails when the
     * search finds nothing.
     */
    private static ScoreDoc[] nearest(IndexSearcher searcher, ScoreDoc[] collected, float[] unit, int k)
            throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        boolean rescored = false;
        for (ScoreDoc scoreDoc : collected) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(scoreDoc.doc, leaves));
            FieldInfo field = leaf.reader().getFieldInfos().fieldInfo(VECTOR);
            if (field == null || !Lucene104HnswScalarQuantizedVectorsFormat.NAME.equals(
                    field.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY))) {
                continue;
            }
            FloatVectorValues vectors = leaf.reader().getFloatVectorValues(VECTOR);
            KnnVectorValues.DocIndexIterator iterator = vectors.iterator();
            int doc = scoreDoc.doc - leaf.docBase;
            if (iterator.advance(doc) != doc) {
                throw new IllegalStateException("the vector search returned document " + scoreDoc.doc
                        + ", which has no vector");
            }
            // Both vectors are unit length (ChunkDocuments normalises what it indexes), so the dot product is the
            // cosine, and DOT_PRODUCT's score (1 + dot) / 2 is COSINE's, without its two norms per comparison.
            scoreDoc.score = VectorSimilarityFunction.DOT_PRODUCT.compare(unit, vectors.vectorValue(iterator.index()));
            rescored = true;
        }
        if (rescored) {
            Arrays.sort(collected, (a, b) -> {
                int byScore = Float.compare(b.score, a.score);
                return byScore != 0 ? byScore : Integer.compare(a.doc, b.doc);
            });
        }
        return collected.length <= k ? collected : Arrays.copyOf(collected, k);
    }

    /** The directory this index lives in. */
    public Path path() {
        return path;
    }

    /** How this index writes segments. */
    public LuceneIndexSettings settings() {
        return settings;
    }

    /**
     * Merges the index down to at most {@code maxSegments} segments and commits, waiting for the merge: a
     * search then walks fewer HNSW graphs. For a bulk load that has finished; the merge rewrites the index
     * and, for a big one, takes as long as a good part of the load did. Applies wait meanwhile.
     *
     * @param maxSegments the most segments to leave, 1 or more
     * @throws UncheckedIOException when the index cannot be written
     */
    public void forceMerge(int maxSegments) {
        if (maxSegments < 1) {
            throw new IllegalArgumentException("maxSegments must be 1 or more, was " + maxSegments);
        }
        applyLock.lock();
        try {
            ensureOpen();
            writer.forceMerge(maxSegments);
            writer.commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the chunk index at " + path + ": " + e.getMessage(), e);
        } finally {
            applyLock.unlock();
        }
    }

    /** How many segments the current searcher sees; each has its own HNSW graph that a dense search walks. */
    public int segmentCount() {
        ensureOpen();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chunk index at " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "LuceneChunkIndex[" + path + "]";
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the chunk index at " + path + " is closed");
        }
    }

    private void requireIndexedEmbedding(EmbeddingInfo offered) {
        EmbeddingInfo indexed = embedding;
        if (indexed != null && !indexed.equals(offered)) {
            throw new EmbeddingMismatchException(indexed, offered);
        }
    }

    /**
     * Tenant, ACL and the request's filters, all as filter clauses: they select, they do not score. The first
     * three, which every search of the caller repeats, are one {@link AccessFilterQuery}, which the query cache
     * holds; the request's filters change from request to request and stay outside it.
     */
    private static Query filterQuery(AccessFilter access, SearchFilter filter) {
        Query readable = new AccessFilterQuery(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, CHUNK)), Occur.FILTER)
                .add(new TermQuery(new Term(TENANT, access.tenant())), Occur.FILTER)
                .add(new TermInSetQuery(ACL, bytes(access.principals())), Occur.FILTER)
                .build());
        if (filter.metadata().isEmpty() && filter.documentIds().isEmpty()) {
            return readable;
        }
        BooleanQuery.Builder builder = new BooleanQuery.Builder().add(readable, Occur.FILTER);
        for (Map.Entry<String, String> entry : filter.metadata().entrySet()) {
            builder.add(new TermQuery(new Term(META_PREFIX + entry.getKey(), entry.getValue())), Occur.FILTER);
        }
        if (!filter.documentIds().isEmpty()) {
            builder.add(new TermInSetQuery(DOCUMENT_ID, bytes(filter.documentIds())), Occur.FILTER);
        }
        return builder.build();
    }

    /**
     * The filter is inside the query, so this never fails unless the filter itself is broken; then
     * the search fails rather than leak a chunk.
     */
    private static void requirePermitted(AccessFilter access, Document document) {
        String tenant = document.get(TENANT);
        List<String> acl = Arrays.asList(document.getValues(ACL));
        if (!access.permits(tenant, acl)) {
            throw new IllegalStateException("the index query returned chunk " + document.get(ChunkDocuments.CHUNK_ID)
                    + " that the access filter forbids; the search is refused");
        }
    }

    private Marker marker(String tenant, String documentId) throws IOException {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(KIND, MARKER)), Occur.FILTER)
                .add(new TermQuery(new Term(DOC_KEY, ChunkDocuments.key(tenant, documentId))), Occur.FILTER)
                .build();
        IndexSearcher searcher = searchers.acquire();
        try {
            TopDocs top = searcher.search(query, 1);
            if (top.scoreDocs.length == 0) {
                return null;
            }
            Document marker = searcher.storedFields().document(top.scoreDocs[0].doc);
            return new Marker(marker.getField(VERSION).numericValue().longValue(),
                    marker.getField(CHUNK_COUNT).numericValue().intValue());
        } finally {
            searchers.release(searcher);
        }
    }

    private long sizeOnDisk() {
        long total = 0;
        try {
            for (String file : directory.listAll()) {
                try {
                    total += directory.fileLength(file);
                } catch (IOException e) {
                    // A merge deleted the file since the listing: it no longer takes space.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return total;
    }

    private static EmbeddingInfo recordedEmbedding(Directory directory) throws IOException {
        if (!DirectoryReader.indexExists(directory)) {
            return null;
        }
        Map<String, String> userData = SegmentInfos.readLatestCommit(directory).getUserData();
        String model = userData.get(MODEL_KEY);
        String dimension = userData.get(DIMENSION_KEY);
        if (model == null || dimension == null) {
            return null;
        }
        return new EmbeddingInfo(model, Integer.parseInt(dimension));
    }

    private static List<BytesRef> bytes(Collection<String> values) {
        List<BytesRef> bytes = new ArrayList<>(values.size());
        for (String value : values) {
            bytes.add(new BytesRef(value));
        }
        return bytes;
    }

    /** Lucene's query cache with these settings' size, or none when it is 0 MiB. */
    private static LRUQueryCache queryCache(LuceneIndexSettings settings) {
        if (settings.queryCacheMb() == 0) {
            return null;
        }
        // Every segment may be cached, small ones too: a flush after every apply makes many, and each costs
        // one bit per document. Lucene's skip factor stays: a selective BM25 query is not slowed to fill it.
        return new LRUQueryCache(settings.queryCacheQueries(), settings.queryCacheMb() * 1024L * 1024L,
                leaf -> true, SKIP_CACHE_FACTOR);
    }

    /** The cache in use, for tests that check it is used; {@code null} when the settings turned it off. */
    LRUQueryCache queryCache() {
        return queryCache;
    }

    /**
     * Searchers that share one query cache, which outlives each of them: a refresh opens a searcher on new
     * segments, while the entries of the segments it keeps stay valid, since the cache keys them by segment.
     */
    private static final class CachingSearcherFactory extends SearcherFactory {

        private final LRUQueryCache cache;
        private final QueryCachingPolicy policy = new AccessFilterCachingPolicy();

        CachingSearcherFactory(LRUQueryCache cache) {
            this.cache = cache;
        }

        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previousReader) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setQueryCache(cache);
            searcher.setQueryCachingPolicy(policy);
            return searcher;
        }
    }

    /** The version a document holds and its chunk count (0 once removed). */
    private record Marker(long version, int chunkCount) {
    }
}
