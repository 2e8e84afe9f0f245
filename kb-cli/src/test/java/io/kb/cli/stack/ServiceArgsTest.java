package io.kb.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extra Spring arguments per service: how they merge with the stack's own, and what an openai tier turns into. */
class ServiceArgsTest {

    @TempDir
    Path home;

    private ServiceSpec inference() {
        return ServiceSpec.all(StackPorts.defaults(), home).stream().filter(s -> s.name().equals("inference-service"))
                .findFirst().orElseThrow();
    }

    @Test
    void ingestServiceKeepsItsUploadStoreUnderTheStacksHome() {
        ServiceSpec ingest = ServiceSpec.all(StackPorts.defaults(), home).stream()
                .filter(s -> s.name().equals("ingest-service")).findFirst().orElseThrow();

        // application.yaml puts kb.ingest.uploads.dir at ${kb.data-dir}/ingest-service/uploads.
        assertThat(ingest.args()).contains("--kb.data-dir=" + home.resolve("data"));
    }

    @Test
    void theGatewayStartsAtItsFullHeapAndTheOtherServicesSmall() {
        List<ServiceSpec> all = ServiceSpec.all(StackPorts.defaults(), home);

        for (ServiceSpec spec : all) {
            List<String> command = spec.command("java", Path.of("x.jar"));
            if (spec.name().equals("gateway")) {
                assertThat(command).contains("-Xms384m", "-Xmx384m");
            } else {
                assertThat(command).contains("-Xms64m").doesNotContain("-Xms" + spec.heap());
            }
        }
        // A copy under another name or with more arguments keeps the heap settings.
        ServiceSpec gateway = all.stream().filter(s -> s.name().equals("gateway")).findFirst().orElseThrow();
        assertThat(gateway.renamed("gateway-b", 8090).withArgs(List.of("--a=b")).command("java", Path.of("x.jar")))
                .contains("-Xms384m", "-Xmx384m");
    }

    @Test
    void retrievalServicesJvmReadsTheVectorModuleAndTheOthersDoNot() {
        for (ServiceSpec spec : ServiceSpec.all(StackPorts.defaults(), home)) {
            List<String> command = spec.renamed(spec.name() + "-b", 9999).command("java", Path.of("x.jar"));
            int jar = command.indexOf("-jar");
            if (spec.name().equals("retrieval-service")) {
                // A JVM option after -jar would reach Spring as a program argument, and Lucene would fall back to
                // plain loops for every vector comparison.
                int option = command.indexOf("--add-modules");
                assertThat(option).isPositive().isLessThan(jar);
                assertThat(command.get(option + 1)).isEqualTo("jdk.incubator.vector");
            } else {
                assertThat(command).doesNotContain("--add-modules");
            }
        }
    }

    @Test
    void anExtraArgumentReplacesTheStacksOwnOfTheSameKeyAndOthersAreAppended() {
        ServiceSpec spec = inference().withArgs(List.of("--kb.inference.retrieval-url=http://127.0.0.1:9999",
                "--kb.inference.top-k=4"));

        assertThat(spec.args()).filteredOn(a -> a.startsWith("--kb.inference.retrieval-url="))
                .containsExactly("--kb.inference.retrieval-url=http://127.0.0.1:9999");
        assertThat(spec.args()).endsWith("--kb.inference.top-k=4");
        assertThat(spec.args()).contains("--kb.security.issuer=http://127.0.0.1:8080");
        assertThat(spec.command("java", Path.of("x.jar"))).contains("--kb.inference.top-k=4");
    }

    @Test
    void refusesArgumentsThatAreNotKeyValueAndUnknownServices() {
        LocalStack stack = new LocalStack(home, home, StackPorts.defaults());

        assertThatThrownBy(() -> stack.withServiceArgs("inference-service", List.of("-Xmx2g")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--key=value");
        assertThatThrownBy(() -> stack.withServiceArgs("llm", List.of("--a=b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no service named llm");
    }

    @Test
    void anOpenAiTierComesFirstAndPassesItsKeyOnlyAsAPlaceholder() {
        OpenAiTier tier = OpenAiTier.primary(URI.create("http://127.0.0.1:11434/v1"), "qwen3:8b", "MY_LLM_KEY",
                Duration.ofMillis(800));

        assertThat(tier.thenExtractive()).containsExactly(
                "--kb.inference.tiers[0].name=primary",
                "--kb.inference.tiers[0].type=openai",
                "--kb.inference.tiers[0].slo=800ms",
                "--kb.inference.tiers[0].openai.base-url=http://127.0.0.1:11434/v1",
                "--kb.inference.tiers[0].openai.model=qwen3:8b",
                "--kb.inference.tiers[0].openai.api-key=${MY_LLM_KEY}",
                "--kb.inference.tiers[1].name=extractive",
                "--kb.inference.tiers[1].type=extractive");
        assertThat(tier.describe()).contains("qwen3:8b").contains("$MY_LLM_KEY");
    }

    @Test
    void anOpenAiTierRefusesWhatTheServiceWouldRefuseLater() {
        URI url = URI.create("http://127.0.0.1:8000/v1");
        assertThatThrownBy(() -> OpenAiTier.primary(URI.create("ftp://127.0.0.1:8000/v1"), "m", null, Duration.ofMillis(500)))
                .hasMessageContaining("--llm-url");
        assertThatThrownBy(() -> OpenAiTier.primary(url, " ", null, Duration.ofMillis(500)))
                .hasMessageContaining("--llm-model");
        assertThatThrownBy(() -> OpenAiTier.primary(url, "m", "MY-KEY", Duration.ofMillis(500)))
                .hasMessageContaining("--llm-api-key-env");
        assertThatThrownBy(() -> OpenAiTier.primary(url, "m", null, Duration.ZERO))
                .hasMessageContaining("--llm-slo");
    }

    @Test
    void theStateFileKeepsTheExtraArguments() {
        StackState state = new StackState(Instant.parse("2026-11-23T10:15:30Z"), StackPorts.defaults(), List.of(),
                Map.of("inference-service", List.of("--kb.inference.tiers[0].name=primary")));

        state.write(home);

        assertThat(StackState.read(home).orElseThrow().serviceArgs())
                .containsEntry("inference-service", List.of("--kb.inference.tiers[0].name=primary"));
    }
}
