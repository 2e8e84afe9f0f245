package io.kb.retrieval.index;

import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The chunk index of the {@code local} profile: the engine {@code kb.retrieval.index.engine} names,
 * opened at start-up, so that a missing or locked directory stops the start instead of the first
 * request, and closed at shutdown.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
class ChunkIndexConfiguration {

    @Bean(destroyMethod = "close")
    ChunkIndex chunkIndex(IndexProperties properties) {
        return switch (properties.engine()) {
            case LUCENE -> {
                IndexProperties.Lucene lucene = properties.lucene();
                if (lucene.path() == null) {
                    throw new IllegalStateException(
                            "kb.retrieval.index.lucene.path must name the directory of the Lucene chunk index");
                }
                yield new LuceneChunkIndex(lucene.path(), lucene.hnswMaxConn(), lucene.hnswBeamWidth());
            }
        };
    }
}
