package io.kb.retrieval.rerank;

import io.grpc.ManagedChannel;
import io.kb.retrieval.rerank.triton.TritonReranker;
import io.kb.retrieval.rerank.triton.TritonRerankerHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The reranking stage that {@code kb.retrieval.rerank.type} names; with {@code none} (the default) there is no
 * {@link RerankStage} bean and searches skip the stage. For {@code triton}: the channel, which starts connecting in
 * the background at start-up so that the first search does not spend its reranking deadline on the connection (the
 * service starts all the same while Triton is down), the {@link TritonReranker}, and the health component
 * {@code reranker}, which is not in the readiness group.
 */
@Configuration(proxyBeanMethods = false)
class RerankConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "kb.retrieval.rerank.type", havingValue = "triton")
    static class Triton {

        @Bean(destroyMethod = "shutdownNow")
        ManagedChannel rerankerChannel(RerankProperties properties) {
            ManagedChannel channel = properties.triton().openChannel();
            channel.getState(true);
            return channel;
        }

        @Bean
        Reranker tritonReranker(ManagedChannel rerankerChannel, RerankProperties properties) {
            return new TritonReranker(rerankerChannel, properties.triton(), properties.timeout());
        }

        @Bean
        RerankStage rerankStage(Reranker reranker, RerankProperties properties, MeterRegistry meters) {
            return new RerankStage(reranker, properties, meters);
        }

        @Bean // the health component "reranker", outside the readiness group
        TritonRerankerHealthIndicator rerankerHealthIndicator(ManagedChannel rerankerChannel,
                RerankProperties properties, RerankStage rerankStage) {
            return new TritonRerankerHealthIndicator(rerankerChannel, properties.triton(), rerankStage,
                    properties.timeout());
        }
    }
}
