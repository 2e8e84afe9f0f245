package io.kb.embedding;

import io.grpc.ManagedChannel;
import io.kb.embedding.batch.MicroBatchers;
import io.kb.embedding.model.EmbeddingModels;
import io.kb.embedding.model.EmbeddingModelsHealthIndicator;
import io.kb.embedding.model.TritonHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the models of the configured backend, loaded or connected once at start-up, and one micro-batcher
 * per model. The readiness component {@code embeddingModels} is the backend's: a one-time probe of the
 * loaded ONNX models, or Triton's server and model readiness on every check.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddingModels embeddingModels(EmbeddingProperties properties, ObjectProvider<ManagedChannel> tritonChannel) {
        return switch (properties.backend()) {
            case ONNX -> EmbeddingModels.loadOnnx(properties.models(), properties.onnx());
            case TRITON -> EmbeddingModels.connectTriton(properties.models(), properties.triton(),
                    tritonChannel.getObject());
        };
    }

    @Bean(destroyMethod = "close")
    MicroBatchers microBatchers(EmbeddingModels models, EmbeddingProperties properties, MeterRegistry meters) {
        return new MicroBatchers(models, properties.batch(), meters);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "kb.embedding.backend", havingValue = "onnx", matchIfMissing = true)
    static class Onnx {

        @Bean // contributes the health component "embeddingModels"
        EmbeddingModelsHealthIndicator embeddingModelsHealthIndicator(EmbeddingModels models) {
            return new EmbeddingModelsHealthIndicator(models);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "kb.embedding.backend", havingValue = "triton")
    static class Triton {

        /** One channel for all Triton models; shut down after the models and batchers that use it. */
        @Bean(destroyMethod = "shutdown")
        ManagedChannel tritonChannel(EmbeddingProperties properties) {
            return properties.triton().openChannel();
        }

        @Bean // contributes the health component "embeddingModels", so the readiness group stays the same
        TritonHealthIndicator embeddingModelsHealthIndicator(ManagedChannel tritonChannel, EmbeddingProperties properties) {
            return new TritonHealthIndicator(tritonChannel, properties.triton());
        }
    }
}
