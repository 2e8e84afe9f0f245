package io.kb.retrieval.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LuceneIndexSettingsTest {

    @Test
    void defaultsAreLucenesOwnWithFloat32Vectors() {
        LuceneIndexSettings defaults = LuceneIndexSettings.DEFAULTS;

        assertThat(defaults.hnswMaxConn()).isEqualTo(16);
        assertThat(defaults.hnswBeamWidth()).isEqualTo(100);
        assertThat(defaults.vectorEncoding()).isEqualTo(VectorEncoding.FLOAT32);
        assertThat(defaults.ramBufferMb()).isEqualTo(16.0);
        assertThat(defaults.mergeWorkers()).isEqualTo(1);
        assertThat(defaults.searchEf()).isEqualTo(LuceneIndexSettings.DEFAULT_SEARCH_EF);
        assertThat(defaults.queryCacheMb()).isEqualTo(64);
        assertThat(defaults.queryCacheQueries()).isEqualTo(1000);
        assertThat(defaults.withVectorEncoding(VectorEncoding.INT8).vectorEncoding()).isEqualTo(VectorEncoding.INT8);
        assertThat(defaults.withSearchEf(300).searchEf()).isEqualTo(300);
        assertThat(defaults.withQueryCacheMb(0).queryCacheMb()).isZero();
    }

    @Test
    void rejectsValuesOutOfRangeNamingTheSettingAndTheValue() {
        assertThatThrownBy(() -> new LuceneIndexSettings(0, 100, VectorEncoding.FLOAT32, 16, 1, 200, 64, 1000))
                .hasMessage("kb.retrieval.index.lucene.hnsw-max-conn must be 1 to 512, was 0");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 3201, VectorEncoding.FLOAT32, 16, 1, 200, 64, 1000))
                .hasMessage("kb.retrieval.index.lucene.hnsw-beam-width must be 1 to 3200, was 3201");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 100, VectorEncoding.FLOAT32, 0.5, 1, 200, 64, 1000))
                .hasMessage("kb.retrieval.index.lucene.ram-buffer-mb must be 1 to 2048, was 0.5");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 100, VectorEncoding.FLOAT32, Double.NaN, 1, 200, 64, 1000))
                .hasMessageContaining("ram-buffer-mb");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 100, VectorEncoding.FLOAT32, 16, 65, 200, 64, 1000))
                .hasMessage("kb.retrieval.index.lucene.merge-workers must be 1 to 64, was 65");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 100, null, 16, 1, 200, 64, 1000))
                .hasMessageContaining("vector-encoding");
        assertThatThrownBy(() -> LuceneIndexSettings.DEFAULTS.withSearchEf(0))
                .hasMessage("kb.retrieval.index.lucene.search-ef must be 1 to 10000, was 0");
        assertThatThrownBy(() -> LuceneIndexSettings.DEFAULTS.withQueryCacheMb(-1))
                .hasMessage("kb.retrieval.index.lucene.query-cache-mb must be 0 to 4096, was -1");
        assertThatThrownBy(() -> new LuceneIndexSettings(16, 100, VectorEncoding.FLOAT32, 16, 1, 200, 64, 0))
                .hasMessage("kb.retrieval.index.lucene.query-cache-queries must be 1 to 100000, was 0");
    }

    @Test
    void encodingsAreNamedAsInConfiguration() {
        assertThat(VectorEncoding.of("int8")).isEqualTo(VectorEncoding.INT8);
        assertThat(VectorEncoding.of(" INT4 ")).isEqualTo(VectorEncoding.INT4);
        assertThat(VectorEncoding.FLOAT32.value()).isEqualTo("float32");
        assertThat(VectorEncoding.FLOAT32.quantized()).isFalse();
        assertThat(VectorEncoding.INT8.quantized()).isTrue();
        assertThatThrownBy(() -> VectorEncoding.of("bf16"))
                .hasMessage("kb.retrieval.index.lucene.vector-encoding must be float32, int8 or int4, was bf16");
    }
}
