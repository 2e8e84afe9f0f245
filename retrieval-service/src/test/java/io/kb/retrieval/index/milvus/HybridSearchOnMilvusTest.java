package io.kb.retrieval.index.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kb.retrieval.access.Caller;
import io.kb.retrieval.fusion.FusionMethod;
import io.kb.retrieval.index.IndexProperties;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.search.HybridSearch;
import io.kb.retrieval.search.QueryEmbedder;
import io.kb.retrieval.search.SearchProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.milvus.grpc.HybridSearchRequest;
import io.milvus.grpc.KeyValuePair;
import io.milvus.grpc.SearchRequest;
import io.milvus.grpc.TemplateValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The search stage on a Milvus index: hybrid mode becomes one {@code hybridSearch} request when the fusion is RRF and
 * the weights agree, which is what Milvus's RRF ranker computes; otherwise two searches, fused in Java.
 */
class HybridSearchOnMilvusTest {

    private FakeMilvusServer server;
    private MilvusChunkIndex index;
    private final QueryEmbedder embedder = (knowledgeBase, query) ->
            new QueryEmbedder.QueryVector("m", new float[] {1, 0, 0, 0});

    @BeforeEach
    void start() throws Exception {
        server = FakeMilvusServer.start();
        server.queryAnswer = request -> {
            TemplateValue key = request.getExprTemplateValuesMap().get("key");
            if (key == null || !key.getStringVal().equals("#embedding")) {
                return List.of();
            }
            Map<String, Object> row = new HashMap<>();
            row.put("doc_key", "#embedding");
            row.put("version", 0L);
            row.put("state", "embedding");
            row.put("info", "{\"model\":\"m\",\"dimension\":4}");
            return List.of(row);
        };
        index = new MilvusChunkIndex(new IndexProperties.Milvus(URI.create(server.uri()), "", "", "kb",
                IndexProperties.Consistency.STRONG, Duration.ofSeconds(10), Duration.ofSeconds(10),
                IndexProperties.TextAnalyzer.CJK_ENGLISH, 16, 200, 64));
    }

    @AfterEach
    void stop() throws Exception {
        index.close();
        server.close();
    }

    @Test
    void hybridModeRunsOneHybridSearchWithTheConfiguredRrfConstant() {
        HybridSearch search = search(1.0, 1.0);

        HybridSearch.Result result = search.search(Caller.of("acme", "alice", List.of("eng")),
                new HybridSearch.Query("leave policy", 5, HybridSearch.Mode.HYBRID, SearchFilter.NONE, false));

        assertThat(result.timings()).containsKey("hybrid").doesNotContainKeys("dense", "bm25", "fuse");
        HybridSearchRequest hybrid = server.requests(HybridSearchRequest.class).getFirst();
        assertThat(hybrid.getFunctionScore().getFunctions(0).getParamsList())
                .contains(KeyValuePair.newBuilder().setKey("k").setValue("30").build());
        assertThat(server.requests(SearchRequest.class)).isEmpty();
    }

    @Test
    void unequalWeightsFuseInJavaFromTwoSearches() {
        HybridSearch search = search(2.0, 1.0);

        HybridSearch.Result result = search.search(Caller.of("acme", "alice", List.of("eng")),
                new HybridSearch.Query("leave policy", 5, HybridSearch.Mode.HYBRID, SearchFilter.NONE, false));

        assertThat(result.timings()).containsKeys("dense", "bm25", "fuse").doesNotContainKey("hybrid");
        assertThat(server.requests(HybridSearchRequest.class)).isEmpty();
        assertThat(server.requests(SearchRequest.class)).hasSize(2);
    }

    @Test
    void scoreFusionRunsTwoSearchesEvenWithEqualWeights() {
        for (FusionMethod method : List.of(FusionMethod.Z_SCORE, FusionMethod.MIN_MAX)) {
            server.requests.clear();
            HybridSearch search = search(method, 1.0, 1.0);

            HybridSearch.Result result = search.search(Caller.of("acme", "alice", List.of("eng")),
                    new HybridSearch.Query("leave policy", 5, HybridSearch.Mode.HYBRID, SearchFilter.NONE, false));

            assertThat(result.timings()).as(method.name()).containsKeys("dense", "bm25", "fuse")
                    .doesNotContainKey("hybrid");
            assertThat(server.requests(HybridSearchRequest.class)).as(method.name()).isEmpty();
            assertThat(server.requests(SearchRequest.class)).as(method.name()).hasSize(2);
        }
    }

    private HybridSearch search(double denseWeight, double bm25Weight) {
        return search(FusionMethod.RRF, denseWeight, bm25Weight);
    }

    /** A search whose fuser is the one the service builds from the settings. */
    private HybridSearch search(FusionMethod fusion, double denseWeight, double bm25Weight) {
        SearchProperties properties = new SearchProperties(URI.create("http://127.0.0.1:1"), Duration.ofSeconds(1), 20,
                fusion, 30, denseWeight, bm25Weight, 100, null);
        return new HybridSearch(index, embedder, fusion.fuser(properties.rrfK()), properties,
                new SimpleMeterRegistry());
    }
}
