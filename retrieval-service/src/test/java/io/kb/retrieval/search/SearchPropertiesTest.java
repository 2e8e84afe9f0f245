package io.kb.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import io.kb.retrieval.fusion.FusionMethod;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SearchPropertiesTest {

    @Test
    void defaultsAreWhatTheServiceBindsWithoutConfiguration() {
        SearchProperties bound = bind(Map.of());

        assertThat(SearchProperties.defaults(URI.create("http://embedding.test:8083"))).isEqualTo(bound);
    }

    @Test
    void fusionBindsFromTheNamesTheDocsUse() {
        assertThat(bind(Map.of("kb.retrieval.search.fusion", "z-score")).fusion()).isEqualTo(FusionMethod.Z_SCORE);
        assertThat(bind(Map.of("kb.retrieval.search.fusion", "min-max")).fusion()).isEqualTo(FusionMethod.MIN_MAX);
        assertThat(bind(Map.of("kb.retrieval.search.fusion", "rrf")).fusion()).isEqualTo(FusionMethod.RRF);
    }

    @Test
    void anUnknownFusionIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> bind(Map.of("kb.retrieval.search.fusion", "borda")))
                .isInstanceOf(BindException.class).hasMessageContaining("kb.retrieval.search.fusion");
    }

    private static SearchProperties bind(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("kb.retrieval.search.embedding-url", "http://embedding.test:8083");
        return new Binder(new MapConfigurationPropertySource(all))
                .bindOrCreate("kb.retrieval.search", SearchProperties.class);
    }
}
