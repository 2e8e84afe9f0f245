package io.kb.inference.generate.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** Defaults for what a tier leaves out, and start-up failures that name the bad setting. */
class TritonGeneratorPropertiesTest {

    private static TritonGeneratorProperties with(String target, String profile, String promptFormat,
            Double temperature, Boolean requestTokenCounts) {
        return new TritonGeneratorProperties(target, "llm", profile, null, null, promptFormat, temperature, null, null,
                null, null, null, requestTokenCounts);
    }

    @Test
    void shouldFillInDefaultsForAbsentSettings() {
        TritonGeneratorProperties p = new TritonGeneratorProperties("triton:8001", "llm", "vllm", null);

        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(p.modelVersion()).isEmpty();
        assertThat(p.format()).isEqualTo(PromptFormat.CHATML);
        assertThat(p.temperature()).isEqualTo(0.2);
        assertThat(p.tls()).isFalse();
        assertThat(p.maxInboundMessageSize()).isEqualTo(DataSize.ofMegabytes(4));
        assertThat(p.textInput()).isEqualTo("text_input");
        assertThat(p.textOutput()).isEqualTo("text_output");
        assertThat(p.batchDimension()).isFalse();
        assertThat(p.requestTokenCounts()).isFalse();
    }

    @Test
    void shouldBindFromConfigurationWithRelaxedNames() {
        Binder binder = new Binder(new MapConfigurationPropertySource(Map.of(
                "tier.triton.target", "triton:8001",
                "tier.triton.model", "llama",
                "tier.triton.profile", "trtllm-ensemble",
                "tier.triton.timeout", "45s",
                "tier.triton.prompt-format", "llama3",
                "tier.triton.max-inbound-message-size", "8MB",
                "tier.triton.batch-dimension", "false")));

        TritonGeneratorProperties p = binder.bind("tier.triton", TritonGeneratorProperties.class).get();

        assertThat(p.timeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(p.format()).isEqualTo(PromptFormat.LLAMA3);
        assertThat(p.maxInboundMessageSize()).isEqualTo(DataSize.ofMegabytes(8));
        assertThat(p.batchDimension()).isFalse();
        assertThat(p.temperature()).isEqualTo(0.2);
    }

    @Test
    void shouldTakeTheBatchDimensionFromTheProfileUnlessSet() {
        assertThat(with("triton:8001", "trtllm-ensemble", null, null, null).batchDimension()).isTrue();
        assertThat(with("triton:8001", "trtllm-llmapi", null, null, null).batchDimension()).isFalse();
    }

    @Test
    void shouldRejectATargetWithoutPort() {
        assertThatThrownBy(() -> with("triton", "vllm", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triton.target");
    }

    @Test
    void shouldRejectAnUnknownProfile() {
        assertThatThrownBy(() -> with("triton:8001", "tgi", null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triton.profile")
                .hasMessageContaining("trtllm-ensemble");
    }

    @Test
    void shouldRejectAnUnknownPromptFormat() {
        assertThatThrownBy(() -> with("triton:8001", "vllm", "alpaca", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triton.prompt-format");
    }

    @Test
    void shouldRejectATemperatureOutOfRange() {
        assertThatThrownBy(() -> with("triton:8001", "vllm", null, 2.5, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triton.temperature");
    }

    @Test
    void shouldRejectTokenCountsForProfilesThatCannotReportThem() {
        assertThatThrownBy(() -> with("triton:8001", "trtllm-ensemble", null, null, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("triton.request-token-counts");
    }
}
