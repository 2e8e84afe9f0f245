package io.kb.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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
    void failsAtStartWithAnUnknownEngine() {
        runner.withPropertyValues("spring.profiles.active=local", "kb.retrieval.index.engine=elasticsearch")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("kb.retrieval.index.engine"));
    }

    @Test
    void opensNoIndexOutsideTheLocalProfile() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChunkIndex.class));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IndexProperties.class)
    static class Properties {
    }
}
