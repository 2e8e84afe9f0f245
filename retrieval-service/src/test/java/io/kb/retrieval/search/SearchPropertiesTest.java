package io.kb.retrieval.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SearchPropertiesTest {

    @Test
    void defaultsAreWhatTheServiceBindsWithoutConfiguration() {
        Binder binder = new Binder(new MapConfigurationPropertySource(
                Map.of("kb.retrieval.search.embedding-url", "http://embedding.test:8083")));

        SearchProperties bound = binder.bindOrCreate("kb.retrieval.search", SearchProperties.class);

        assertThat(SearchProperties.defaults(URI.create("http://embedding.test:8083"))).isEqualTo(bound);
    }
}
