package io.kb.retrieval.index;

import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.kb.retrieval.index.milvus.MilvusChunkIndex;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The chunk index that {@code kb.retrieval.index.engine} names, and its readiness component {@code chunkIndex}.
 * Lucene, the default of the {@code local} profile, is opened at start-up, so that a missing or locked directory
 * stops the start instead of the first request. Milvus, in any profile that names it, connects on first use, so
 * that the service starts while Milvus is down and reports it in readiness. Both are closed at shutdown.
 */
@Configuration(proxyBeanMethods = false)
class ChunkIndexConfiguration {

    @Bean(destroyMethod = "close")
    @Profile("local")
    @ConditionalOnProperty(name = "kb.retrieval.index.engine", havingValue = "lucene", matchIfMissing = true)
    ChunkIndex luceneChunkIndex(IndexProperties properties) {
        IndexProperties.Lucene lucene = properties.lucene();
        if (lucene.path() == null) {
            throw new IllegalStateException(
                    "kb.retrieval.index.lucene.path must name the directory of the Lucene chunk index");
        }
        return new LuceneChunkIndex(lucene.path(), lucene.settings());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "kb.retrieval.index.engine", havingValue = "milvus")
    ChunkIndex milvusChunkIndex(IndexProperties properties) {
        return new MilvusChunkIndex(properties.milvus());
    }

    @Bean // the health component "chunkIndex", in the readiness group
    @ConditionalOnBean(ChunkIndex.class)
    ChunkIndexHealthIndicator chunkIndexHealthIndicator(ChunkIndex index) {
        return new ChunkIndexHealthIndicator(index);
    }
}
