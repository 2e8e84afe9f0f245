package io.kb.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;

class SearchRequestTest {

    @Test
    void rejectsKOutOfRange() {
        assertThatThrownBy(() -> SearchRequest.bm25("policy", 0)).isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("k:");
        assertThatThrownBy(() -> SearchRequest.bm25("policy", SearchRequest.MAX_K + 1))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("k:");
    }

    @Test
    void requiresTheQueryOfItsMode() {
        assertThatThrownBy(() -> SearchRequest.bm25(" ", 3)).hasMessageStartingWith("queryText");
        assertThatThrownBy(() -> SearchRequest.dense(null, 3)).hasMessageStartingWith("queryVector");
        assertThatThrownBy(() -> new SearchRequest(SearchMode.DENSE, new float[] {1}, "text", 3, null))
                .hasMessageStartingWith("queryText");
        assertThatThrownBy(() -> new SearchRequest(SearchMode.BM25, new float[] {1}, "text", 3, null))
                .hasMessageStartingWith("queryVector");
        assertThatThrownBy(() -> new SearchRequest(null, null, "text", 3, null)).hasMessageStartingWith("mode");
    }

    @Test
    void rejectsAZeroOrNonFiniteQueryVector() {
        assertThatThrownBy(() -> SearchRequest.dense(new float[3], 3)).hasMessageStartingWith("queryVector");
        assertThatThrownBy(() -> SearchRequest.dense(new float[] {1, Float.NaN}, 3)).hasMessageStartingWith("queryVector[1]");
        assertThatThrownBy(() -> SearchRequest.dense(new float[0], 3)).hasMessageStartingWith("queryVector");
    }

    @Test
    void copiesTheQueryVector() {
        float[] vector = {1, 2};
        SearchRequest request = SearchRequest.dense(vector, 3);
        vector[0] = 9;
        request.queryVector()[1] = 9;

        assertThat(request.queryVector()).containsExactly(1, 2);
        assertThat(request).isEqualTo(SearchRequest.dense(new float[] {1, 2}, 3));
        assertThat(request.toString()).contains("float[2]");
    }

    @Test
    void hasNoFilterUnlessGivenOne() {
        assertThat(SearchRequest.bm25("policy", 3).filter()).isEqualTo(SearchFilter.NONE);
        assertThat(new SearchRequest(SearchMode.BM25, null, "policy", 3, null).filter().isEmpty()).isTrue();
    }

    @Test
    void filtersFollowTheContractsFieldRules() {
        assertThatThrownBy(() -> SearchFilter.metadata(Map.of("bad key", "x"))).isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("metadata");
        assertThatThrownBy(() -> SearchFilter.documents(List.of(""))).isInstanceOf(ContractViolationException.class)
                .hasMessageStartingWith("documentId");
        assertThat(SearchFilter.documents(List.of("a", "a", "b")).documentIds()).containsExactlyInAnyOrder("a", "b");
    }
}
