package io.kb.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.fusion.ReciprocalRankFusion;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query instruction stage of a search, on a real Lucene index; the embedder records what it was asked. */
class HybridSearchTest {

    private static final Caller CALLER = new Caller("t1", List.of("public"));

    @TempDir
    Path temp;

    private final List<String> embedded = new ArrayList<>();
    private String modelOfIndex;
    private final QueryEmbedder recording = (kb, text) -> {
        embedded.add(text);
        return new QueryEmbedder.QueryVector(modelOfIndex, new float[] {1, 0});
    };

    @Test
    void embedsTheQueryAfterTheInstructionOfTheIndexModel() {
        List<String> bm25Hits = searchWith("bge-small-en-v1.5", SearchProperties.BGE_QUERY_INSTRUCTIONS);

        assertThat(embedded).containsExactly("Represent this sentence for searching relevant passages: annual leave");
        assertThat(bm25Hits).as("BM25 still gets the query alone, and finds the chunk").containsExactly("d1");
    }

    @Test
    void embedsTheQueryAloneForAModelWithoutInstruction() {
        searchWith("test-model", SearchProperties.BGE_QUERY_INSTRUCTIONS);

        assertThat(embedded).containsExactly("annual leave");
    }

    @Test
    void embedsTheQueryAloneByDefault() {
        searchWith("bge-small-en-v1.5", null);

        assertThat(embedded).containsExactly("annual leave");
    }

    @Test
    void anEmptyInstructionTurnsItOff() {
        searchWith("bge-small-en-v1.5", Map.of("bge-small-en-v1.5", ""));

        assertThat(embedded).containsExactly("annual leave");
    }

    private List<String> searchWith(String model, Map<String, String> instructions) {
        modelOfIndex = model;
        SearchProperties defaults = SearchProperties.defaults(URI.create("http://unused.test"));
        SearchProperties properties = new SearchProperties(defaults.embeddingUrl(), Duration.ofSeconds(1),
                defaults.candidates(), defaults.fusion(), defaults.rrfK(), defaults.denseWeight(),
                defaults.bm25Weight(), defaults.maxTopK(), instructions);
        try (LuceneChunkIndex index = new LuceneChunkIndex(temp.resolve(model))) {
            String text = "Unused annual leave carries over for five days.";
            index.apply(new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, "t1", "d1", 1, null, null, null,
                    List.of("public"), Map.of(), new EmbeddingInfo(model, 2),
                    List.of(new Chunk(ChunkIds.of("t1", "d1", 1, 0), 0, text, new float[] {1, 0}, List.of(), null, 0,
                            text.length()))));
            HybridSearch search = new HybridSearch(index, recording, new ReciprocalRankFusion(60), properties,
                    new SimpleMeterRegistry());

            search.search(CALLER, new HybridSearch.Query("annual leave", 5, HybridSearch.Mode.DENSE, SearchFilter.NONE,
                    false));
            return search.search(CALLER, new HybridSearch.Query("annual leave", 5, HybridSearch.Mode.BM25,
                    SearchFilter.NONE, false)).hits().stream().map(h -> h.documentId()).toList();
        }
    }
}
