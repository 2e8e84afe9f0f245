package io.kb.retrieval.rerank;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.kb.retrieval.rerank.RerankProperties.Circuit;
import io.kb.retrieval.rerank.RerankProperties.Triton;
import io.kb.retrieval.rerank.RerankProperties.Type;
import org.junit.jupiter.api.Test;

/** The checks of {@link RerankProperties}: a wrong setting is refused with its name. */
class RerankPropertiesTest {

    static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void tritonNeedsItsTargetAndModel() {
        assertThatThrownBy(() -> new RerankProperties(Type.TRITON, 50, SECOND, null, null))
                .hasMessageContaining("kb.retrieval.rerank.triton.target");
        assertThatThrownBy(() -> new Triton("triton", "bge_reranker"))
                .hasMessageContaining("kb.retrieval.rerank.triton.target must be host:port, was 'triton'");
        assertThatThrownBy(() -> new Triton("triton:8001", " "))
                .hasMessageContaining("kb.retrieval.rerank.triton.model");
    }

    @Test
    void tensorNamesMustBeTwoNamedTensors() {
        assertThatThrownBy(() -> new Triton("triton:8001", false, "m", "", "text", "text", "logits", 16))
                .hasMessageContaining("query-input and passage-input must be two tensors");
        assertThatThrownBy(() -> new Triton("triton:8001", false, "m", "", "query", "passage", " ", 16))
                .hasMessageContaining("kb.retrieval.rerank.triton.output must name a tensor");
        assertThatThrownBy(() -> new Triton("triton:8001", false, "m", "", "query", "passage", "logits", 0))
                .hasMessageContaining("kb.retrieval.rerank.triton.max-batch-size must be at least 1");
    }

    @Test
    void candidatesTimeoutAndCircuitAreBounded() {
        assertThatThrownBy(() -> new RerankProperties(Type.NONE, 0, SECOND, null, null))
                .hasMessageContaining("kb.retrieval.rerank.candidates");
        assertThatThrownBy(() -> new RerankProperties(Type.NONE, 50, Duration.ZERO, null, null))
                .hasMessageContaining("kb.retrieval.rerank.timeout");
        assertThatThrownBy(() -> new Circuit(0, 20, 10, SECOND, 2))
                .hasMessageContaining("failure-rate-threshold");
        assertThatThrownBy(() -> new Circuit(50, 20, 10, Duration.ZERO, 2)).hasMessageContaining("open-for");
    }
}
