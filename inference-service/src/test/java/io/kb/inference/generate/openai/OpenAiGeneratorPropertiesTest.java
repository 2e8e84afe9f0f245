package io.kb.inference.generate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OpenAiGeneratorPropertiesTest {

    @Test
    void fillsInDefaultsForAbsentOptionalValues() {
        OpenAiGeneratorProperties properties =
                new OpenAiGeneratorProperties("http://vllm:8000/v1/", "qwen", " ", null, null, null, null, null);

        assertThat(properties.baseUrl()).isEqualTo("http://vllm:8000/v1");
        assertThat(properties.apiKey()).isNull();
        assertThat(properties.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.readinessTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.temperature()).isEqualTo(0.2);
        assertThat(properties.headers()).isEmpty();
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatIllegalArgumentException().isThrownBy(() -> properties(null, "m", null, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> properties("vllm:8000/v1", "m", null, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> properties("ftp://vllm/v1", "m", null, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> properties("http://vllm/v1", " ", null, null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties("http://vllm/v1", "m", Duration.ZERO, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> properties("http://vllm/v1", "m", null, 2.5, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> properties("http://vllm/v1", "m", null, null, Map.of("Host", "elsewhere")));
    }

    @Test
    void toStringHidesTheKeyAndHeaderValues() {
        OpenAiGeneratorProperties properties = new OpenAiGeneratorProperties("https://api.deepseek.com/v1",
                "deepseek-chat", "sk-very-secret", null, null, null, null, Map.of("X-Tenant-Key", "tenant-secret"));

        assertThat(properties.toString())
                .doesNotContain("sk-very-secret")
                .doesNotContain("tenant-secret")
                .contains("deepseek-chat", "apiKey=****", "X-Tenant-Key");
    }

    private static OpenAiGeneratorProperties properties(String baseUrl, String model, Duration timeout,
            Double temperature, Map<String, String> headers) {
        return new OpenAiGeneratorProperties(baseUrl, model, null, timeout, null, null, temperature, headers);
    }
}
