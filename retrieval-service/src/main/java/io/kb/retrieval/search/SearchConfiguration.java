package io.kb.retrieval.search;

import io.kb.retrieval.fusion.ResultFuser;
import io.kb.retrieval.index.ChunkIndex;
import io.micrometer.core.instrument.Gauge;
import io.kb.retrieval.rerank.RerankStage;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** The search stages (reranking when {@code kb.retrieval.rerank.type} names a reranker), and the index's size as gauges. */
@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    @Bean
    QueryEmbedder queryEmbedder(RestClient.Builder builder, SearchProperties properties) {
        return new HttpQueryEmbedder(builder, properties);
    }

    /** The fusion {@code kb.retrieval.search.fusion} names. */
    @Bean
    ResultFuser resultFuser(SearchProperties properties) {
        return properties.fusion().fuser(properties.rrfK());
    }

    @Bean
    HybridSearch hybridSearch(ChunkIndex index, QueryEmbedder embedder, ResultFuser fuser, SearchProperties properties,
            MeterRegistry meters, ObjectProvider<RerankStage> reranking) {
        Gauge.builder("kb.retrieval.index.chunks", index, i -> i.stats().chunkCount()).register(meters);
        Gauge.builder("kb.retrieval.index.documents", index, i -> i.stats().documentCount()).register(meters);
        Gauge.builder("kb.retrieval.index.size", index, i -> i.stats().sizeOnDiskBytes()).baseUnit("bytes")
                .register(meters);
        return new HybridSearch(index, embedder, fuser, properties, meters, reranking.getIfAvailable());
    }
}
