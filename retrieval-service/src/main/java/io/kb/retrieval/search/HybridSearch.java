package io.kb.retrieval.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.kb.retrieval.access.Caller;
import io.kb.retrieval.fusion.ReciprocalRankFusion;
import io.kb.retrieval.fusion.ResultFuser;
import io.kb.retrieval.fusion.ResultFuser.Ranking;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.retrieval.index.EmbeddingMismatchException;
import io.kb.retrieval.index.HybridChunkIndex;
import io.kb.retrieval.index.IndexStats;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.index.SearchRequest;
import io.kb.retrieval.rerank.RerankStage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A search as the numbered stages run it: (1) embed the query with the knowledge base's model, after that model's
 * query instruction if one is configured ({@link SearchProperties#queryInstructions()}), (2) dense retrieval
 * and (3) BM25 retrieval, both inside the index with the caller's access filter, (4) fusion of the two lists by
 * the {@link ResultFuser} configured ({@link SearchProperties#fusion()}: reciprocal rank fusion or a sum of
 * normalised scores), (5) reranking of the best fused candidates, when a reranker is configured and the request
 * does not opt out, (6) grouping by document where asked. In hybrid mode a query that cannot be embedded still gets
 * BM25 results, and the answer says so; a reranker that fails leaves the fused order, and the answer says so too.
 * An index that fuses by itself ({@link HybridChunkIndex}, such as Milvus) runs (2) to (4) as one request (timing
 * stage {@code hybrid}) only when that gives what the configured fuser would: the fuser is
 * {@link ReciprocalRankFusion} and both lists weigh the same, which is what its RRF ranker does. With any other
 * fusion the index runs the two searches and this class fuses them, since the engine's ranker sees ranks, not the
 * scores a normalisation needs.
 */
public final class HybridSearch {

    /** What a caller asks. */
    public enum Mode { HYBRID, DENSE, BM25 }

    /**
     * @param query           the text
     * @param topK            hits (or documents, when grouping) wanted
     * @param mode            which retrievers run
     * @param filter          metadata and document-id filters, applied inside the index
     * @param groupByDocument keep only the best chunk of each document
     * @param rerank          whether to rerank, when a reranker is configured
     */
    public record Query(String query, int topK, Mode mode, SearchFilter filter, boolean groupByDocument,
            boolean rerank) {

        /** A query that reranks when a reranker is configured. */
        public Query(String query, int topK, Mode mode, SearchFilter filter, boolean groupByDocument) {
            this(query, topK, mode, filter, groupByDocument, true);
        }
    }

    /**
     * @param hits         best first
     * @param degraded     why the answer is not what the mode asked for, or null
     * @param timings      milliseconds by stage
     * @param reranked     whether the hits are in the reranker's order; null when no reranker is configured
     * @param rerankReason why they are not, or null
     */
    public record Result(List<ChunkHit> hits, String degraded, Map<String, Double> timings, Boolean reranked,
            String rerankReason) {
    }

    private final ChunkIndex index;
    private final QueryEmbedder embedder;
    private final ResultFuser fuser;
    private final SearchProperties properties;
    private final MeterRegistry meters;
    private final RerankStage reranking;

    /** A search without a reranking stage. */
    public HybridSearch(ChunkIndex index, QueryEmbedder embedder, ResultFuser fuser, SearchProperties properties,
            MeterRegistry meters) {
        this(index, embedder, fuser, properties, meters, null);
    }

    /** @param reranking the reranking stage, or null for none */
    public HybridSearch(ChunkIndex index, QueryEmbedder embedder, ResultFuser fuser, SearchProperties properties,
            MeterRegistry meters, RerankStage reranking) {
        this.index = index;
        this.embedder = embedder;
        this.fuser = fuser;
        this.properties = properties;
        this.meters = meters;
        this.reranking = reranking;
    }

    public Result search(Caller caller, Query q) {
        Map<String, Double> timings = new LinkedHashMap<>();
        int candidates = candidates(q);
        String degraded = null;
        List<Ranking> rankings = new ArrayList<>();

        if (q.mode() != Mode.BM25) {
            try {
                float[] vector = timed("embed", timings, () -> embed(caller.tenant(), q.query()));         // 1
                if (vector != null && q.mode() == Mode.HYBRID && index instanceof HybridChunkIndex fusing
                        && fuser instanceof ReciprocalRankFusion rrf
                        && properties.denseWeight() == properties.bm25Weight()) {
                    List<ChunkHit> fused = timed("hybrid", timings, () -> fusing.searchHybrid(caller,     // 2-4
                            SearchRequest.dense(vector, candidates).withFilter(q.filter()),
                            SearchRequest.bm25(q.query(), candidates).withFilter(q.filter()),
                            candidates, rrf.k()));
                    return finish(q, fused, null, timings);
                }
                if (vector != null) {
                    List<ChunkHit> dense = timed("dense", timings, () -> index.search(caller,              // 2
                            SearchRequest.dense(vector, candidates).withFilter(q.filter())));
                    rankings.add(new Ranking("dense", dense, properties.denseWeight()));
                }
            } catch (QueryEmbedder.QueryEmbeddingUnavailable e) {
                if (q.mode() == Mode.DENSE) {
                    throw e;
                }
                degraded = "dense retrieval unavailable (" + e.getMessage() + "); results are from BM25 alone";
                meters.counter("kb.retrieval.degraded", "reason", "embedding-unavailable").increment();
            }
        }
        if (q.mode() != Mode.DENSE) {
            List<ChunkHit> bm25 = timed("bm25", timings, () -> index.search(caller,                           // 3
                    SearchRequest.bm25(q.query(), candidates).withFilter(q.filter())));
            rankings.add(new Ranking("bm25", bm25, properties.bm25Weight()));
        }
        List<ChunkHit> fused = timed("fuse", timings, () -> rankings.size() == 1                             // 4
                ? rankings.getFirst().hits()
                : fuser.fuse(rankings, candidates));
        return finish(q, fused, degraded, timings);
    }

    /**
     * How many hits each retriever contributes to the fusion of a query: the configured
     * {@link SearchProperties#candidates()}, or more when the query wants more (four chunks per document wanted when
     * grouping, since a document may have several among the best).
     */
    public int candidates(Query q) {
        return Math.max(q.topK() * (q.groupByDocument() ? 4 : 1), properties.candidates());
    }

    private Result finish(Query q, List<ChunkHit> fused, String degraded, Map<String, Double> timings) {
        List<ChunkHit> ranked = fused;
        Boolean reranked = null;
        String rerankReason = null;
        if (reranking != null) {
            RerankStage.Reranking r = reranking.rerank(q.query(), fused, q.topK(), q.rerank());                 // 5
            if (r.called()) {
                record("rerank", r.nanos(), timings);
            }
            ranked = r.hits();
            reranked = r.reranked();
            rerankReason = r.reason();
        }
        List<ChunkHit> hits = q.groupByDocument() ? bestPerDocument(ranked, q.topK())                         // 6
                : ranked.subList(0, Math.min(q.topK(), ranked.size()));
        meters.summary("kb.retrieval.hits").record(hits.size());
        return new Result(List.copyOf(hits), degraded, timings, reranked, rerankReason);
    }

    /** The query's vector, or null when the index holds no vectors yet (nothing to search densely). */
    private float[] embed(String tenant, String query) {
        IndexStats stats = index.stats();
        if (stats.embedding() == null) {
            return null;
        }
        QueryEmbedder.QueryVector v = embedder.embed(tenant,
                properties.queryInstruction(stats.embedding().model()) + query);
        if (!stats.embedding().model().equals(v.model()) || stats.embedding().dimension() != v.vector().length) {
            throw new EmbeddingMismatchException(stats.embedding(), new EmbeddingInfo(v.model(), v.vector().length));
        }
        return v.vector();
    }

    private static List<ChunkHit> bestPerDocument(List<ChunkHit> ranked, int documents) {
        Set<String> seen = new HashSet<>();
        List<ChunkHit> out = new ArrayList<>();
        for (ChunkHit hit : ranked) {
            if (seen.add(hit.documentId())) {
                out.add(hit);
                if (out.size() == documents) {
                    break;
                }
            }
        }
        return out;
    }

    private <T> T timed(String stage, Map<String, Double> timings, Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(stage, System.nanoTime() - t0, timings);
        }
    }

    private void record(String stage, long nanos, Map<String, Double> timings) {
        timings.put(stage, nanos / 1e6);
        Timer.builder("kb.retrieval.stage").tag("stage", stage).publishPercentileHistogram()
                .register(meters).record(nanos, TimeUnit.NANOSECONDS);
    }
}
