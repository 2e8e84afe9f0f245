package io.kb.retrieval.rerank;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.grpc.ManagedChannel;
import io.kb.retrieval.rerank.triton.TritonReranker;
import io.kb.retrieval.rerank.triton.TritonRerankerHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Which beans {@code kb.retrieval.rerank.type} brings, and how the settings bind. */
class RerankConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RerankProperties.class)
    static class Properties {
    }

    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, RerankConfiguration.class)
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @Test
    void byDefaultThereIsNoStageAndNoChannel() {
        context.run(c -> {
            assertThat(c).hasNotFailed();
            assertThat(c.getBean(RerankProperties.class).type()).isEqualTo(RerankProperties.Type.NONE);
            assertThat(c).doesNotHaveBean(RerankStage.class).doesNotHaveBean(Reranker.class)
                    .doesNotHaveBean(ManagedChannel.class);
        });
    }

    @Test
    void tritonBindsWithTheDocumentedDefaults() {
        context.withPropertyValues("kb.retrieval.rerank.type=triton", "kb.retrieval.rerank.triton.target=triton:8001",
                "kb.retrieval.rerank.triton.model=bge_reranker").run(c -> {
                    assertThat(c).hasSingleBean(RerankStage.class).hasSingleBean(TritonReranker.class);
                    assertThat(c).getBean("rerankerHealthIndicator").isInstanceOf(TritonRerankerHealthIndicator.class);
                    RerankProperties p = c.getBean(RerankProperties.class);
                    assertThat(p.candidates()).isEqualTo(50);
                    assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(1));
                    assertThat(p.circuit()).isEqualTo(new RerankProperties.Circuit(50, 20, 10, Duration.ofSeconds(30), 2));
                    assertThat(p.triton()).isEqualTo(new RerankProperties.Triton("triton:8001", false, "bge_reranker",
                            "", "query", "passage", "logits", 16));
                });
    }

    @Test
    void tritonTakesItsSettingsInKebabCase() {
        context.withPropertyValues("kb.retrieval.rerank.type=triton", "kb.retrieval.rerank.candidates=20",
                "kb.retrieval.rerank.timeout=250ms", "kb.retrieval.rerank.circuit.open-for=5s",
                "kb.retrieval.rerank.triton.target=triton:8001", "kb.retrieval.rerank.triton.tls=true",
                "kb.retrieval.rerank.triton.model=ensemble", "kb.retrieval.rerank.triton.model-version=3",
                "kb.retrieval.rerank.triton.query-input=QUERY", "kb.retrieval.rerank.triton.passage-input=DOCUMENT",
                "kb.retrieval.rerank.triton.output=score", "kb.retrieval.rerank.triton.max-batch-size=8").run(c -> {
                    RerankProperties p = c.getBean(RerankProperties.class);
                    assertThat(p.candidates()).isEqualTo(20);
                    assertThat(p.timeout()).isEqualTo(Duration.ofMillis(250));
                    assertThat(p.circuit().openFor()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(p.triton()).isEqualTo(new RerankProperties.Triton("triton:8001", true, "ensemble", "3",
                            "QUERY", "DOCUMENT", "score", 8));
                });
    }

    @Test
    void tritonWithoutATargetStopsTheStartNamingTheSetting() {
        context.withPropertyValues("kb.retrieval.rerank.type=triton").run(c -> {
            assertThat(c).hasFailed();
            assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("kb.retrieval.rerank.triton.target");
        });
        context.withPropertyValues("kb.retrieval.rerank.type=triton", "kb.retrieval.rerank.triton.target=triton",
                "kb.retrieval.rerank.triton.model=bge_reranker").run(c -> assertThat(c.getStartupFailure()).rootCause()
                        .hasMessageContaining("kb.retrieval.rerank.triton.target must be host:port"));
    }

    @Test
    void anUnknownTypeStopsTheStart() {
        context.withPropertyValues("kb.retrieval.rerank.type=cohere").run(c -> assertThat(c).hasFailed());
    }
}
