package io.kb.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.kb.retrieval.fusion.ReciprocalRankFusion;
import io.kb.retrieval.fusion.ResultFuser;
import io.kb.retrieval.fusion.ScoreFusion;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Which fuser {@code kb.retrieval.search.fusion} gives the search, and that a bad value stops the start. */
class SearchConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SearchProperties.class)
    static class Properties {
    }

    @TempDir
    Path temp;

    private ApplicationContextRunner context() {
        return new ApplicationContextRunner()
                .withUserConfiguration(Properties.class, SearchConfiguration.class)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(RestClient.Builder.class, RestClient::builder)
                .withBean(ChunkIndex.class, () -> new LuceneChunkIndex(temp.resolve("index")))
                .withPropertyValues("kb.retrieval.search.embedding-url=http://embedding.test:8083");
    }

    @Test
    void byDefaultTheSearchFusesByZScores() {
        context().run(c -> {
            assertThat(c).hasNotFailed().hasSingleBean(HybridSearch.class);
            assertThat(c.getBean(ResultFuser.class)).isInstanceOfSatisfying(ScoreFusion.class,
                    f -> assertThat(f.normalisation()).isEqualTo(ScoreFusion.Normalisation.Z_SCORE));
        });
    }

    @Test
    void rrfUsesTheConfiguredConstant() {
        context().withPropertyValues("kb.retrieval.search.fusion=rrf", "kb.retrieval.search.rrf-k=20").run(c ->
                assertThat(c.getBean(ResultFuser.class)).isInstanceOfSatisfying(ReciprocalRankFusion.class,
                        rrf -> assertThat(rrf.k()).isEqualTo(20)));
    }

    @Test
    void zScoreAndMinMaxGiveScoreFusionWithThatNormalisation() {
        context().withPropertyValues("kb.retrieval.search.fusion=z-score").run(c ->
                assertThat(c.getBean(ResultFuser.class)).isInstanceOfSatisfying(ScoreFusion.class,
                        f -> assertThat(f.normalisation()).isEqualTo(ScoreFusion.Normalisation.Z_SCORE)));
        context().withPropertyValues("kb.retrieval.search.fusion=min-max").run(c ->
                assertThat(c.getBean(ResultFuser.class)).isInstanceOfSatisfying(ScoreFusion.class,
                        f -> assertThat(f.normalisation()).isEqualTo(ScoreFusion.Normalisation.MIN_MAX)));
    }

    @Test
    void anUnknownFusionStopsTheStartNamingTheSetting() {
        context().withPropertyValues("kb.retrieval.search.fusion=borda").run(c -> {
            assertThat(c).hasFailed();
            assertThat(c.getStartupFailure()).rootCause().hasMessageContaining("borda");
            assertThat(c.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under "
                    + "'kb.retrieval.search.fusion'");
        });
    }
}
