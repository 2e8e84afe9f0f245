package io.kb.embedding;

import io.kb.embedding.batch.MicroBatchers;
import io.kb.embedding.model.EmbeddingModels;
import io.kb.embedding.model.EmbeddingModelsHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the models, loaded once at start-up, and one micro-batcher per model. */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddingModels embeddingModels(EmbeddingProperties properties) {
        return EmbeddingModels.loadOnnx(properties.models(), properties.onnx());
    }

    @Bean(destroyMethod = "close")
    MicroBatchers microBatchers(EmbeddingModels models, EmbeddingProperties properties, MeterRegistry meters) {
        return new MicroBatchers(models, properties.batch(), meters);
    }

    @Bean // contributes the health component "embeddingModels"
    EmbeddingModelsHealthIndicator embeddingModelsHealthIndicator(EmbeddingModels models) {
        return new EmbeddingModelsHealthIndicator(models);
    }
}
