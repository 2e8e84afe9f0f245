package io.kb.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.kb.retrieval.index.lucene.LuceneIndexSettings;
import io.kb.retrieval.index.lucene.VectorEncoding;
import io.kb.retrieval.index.milvus.MilvusChunkIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ChunkIndexConfigurationTest {

    @TempDir
    Path temp;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, ChunkIndexConfiguration.class);

    @Test
    void opensALuceneIndexInTheConfiguredDirectoryInTheLocalProfile() {
        Path path = temp.resolve("index");
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + path,
                        "kb.retrieval.index.lucene.hnsw-max-conn=24")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ChunkIndex.class)).isInstanceOfSatisfying(LuceneChunkIndex.class,
                            index -> assertThat(index.path()).isEqualTo(path));
                    IndexProperties properties = context.getBean(IndexProperties.class);
                    assertThat(properties.engine()).isEqualTo(IndexProperties.Engine.LUCENE);
                    assertThat(properties.lucene().hnswMaxConn()).isEqualTo(24);
                    assertThat(properties.lucene().hnswBeamWidth()).isEqualTo(100);
                });
    }

    @Test
    void failsAtStartWithoutAPath() {
        runner.withPropertyValues("spring.profiles.active=local")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("kb.retrieval.index.lucene.path"));
    }

    @Test
    void failsAtStartWithHnswSettingsOutOfRange() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp,
                        "kb.retrieval.index.lucene.hnsw-max-conn=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("hnswMaxConn"));
    }

    @Test
    void passesTheVectorEncodingBufferMergeWorkersSearchDepthAndCacheToTheLuceneIndex() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp,
                        "kb.retrieval.index.lucene.vector-encoding=int8", "kb.retrieval.index.lucene.ram-buffer-mb=64",
                        "kb.retrieval.index.lucene.merge-workers=2", "kb.retrieval.index.lucene.search-ef=300",
                        "kb.retrieval.index.lucene.query-cache-mb=8", "kb.retrieval.index.lucene.query-cache-queries=50")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ChunkIndex.class)).isInstanceOfSatisfying(LuceneChunkIndex.class,
                            index -> assertThat(index.settings()).isEqualTo(new LuceneIndexSettings(16, 100,
                                    VectorEncoding.INT8, 64, 2, 300, 8, 50)));
                });
    }

    @Test
    void keepsFloat32VectorsByDefault() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp)
                .run(context -> assertThat(context.getBean(IndexProperties.class).lucene().settings())
                        .isEqualTo(LuceneIndexSettings.DEFAULTS));
    }

    @Test
    void failsAtStartWithAnUnknownVectorEncodingOrMergeWorkersOutOfRange() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp,
                        "kb.retrieval.index.lucene.vector-encoding=bf16")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("vector-encoding"));
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp,
                        "kb.retrieval.index.lucene.merge-workers=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("mergeWorkers"));
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.lucene.path=" + temp,
                        "kb.retrieval.index.lucene.search-ef=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("searchEf"));
    }

    @Test
    void failsAtStartWithAnUnknownEngine() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.engine=elasticsearch")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("kb.retrieval.index.engine"));
    }

    @Test
    void startsAMilvusIndexInAnyProfileWhileMilvusIsDownAndReportsItInHealth() {
        runner.withPropertyValues("kb.retrieval.index.engine=milvus", "kb.retrieval.index.milvus.uri=http://127.0.0.1:9",
                        "kb.retrieval.index.milvus.token=root:s3cret", "kb.retrieval.index.milvus.connect-timeout=200ms",
                        "kb.retrieval.index.milvus.consistency-level=bounded")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ChunkIndex.class)).isInstanceOf(MilvusChunkIndex.class);
                    IndexProperties.Milvus milvus = context.getBean(IndexProperties.class).milvus();
                    assertThat(milvus.consistencyLevel()).isEqualTo(IndexProperties.Consistency.BOUNDED);
                    assertThat(milvus.collectionPrefix()).isEqualTo("kb");
                    Health health = context.getBean(ChunkIndexHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().toString()).contains("127.0.0.1:9").doesNotContain("s3cret");
                });
    }

    @Test
    void failsAtStartWithAnInvalidMilvusCollectionPrefix() {
        runner.withPropertyValues("kb.retrieval.index.engine=milvus", "kb.retrieval.index.milvus.collection-prefix=kb-chunks")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("collectionPrefix"));
    }

    @Test
    void opensNoIndexOutsideTheLocalProfile() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChunkIndex.class)
                .doesNotHaveBean(ChunkIndexHealthIndicator.class));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IndexProperties.class)
    static class Properties {
    }
}
