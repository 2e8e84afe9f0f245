package io.kb.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import io.kb.cli.KbCommand;
import io.kb.cli.stack.StackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CommandParsingTest {

    @TempDir
    Path dir;

    @Test
    void resolvesComponentsWithOrWithoutTheServiceSuffix() {
        assertThat(LogsCommand.resolve("ingest")).isEqualTo("ingest-service");
        assertThat(LogsCommand.resolve("Retrieval-Service")).isEqualTo("retrieval-service");
        assertThat(LogsCommand.resolve("kafka")).isEqualTo("kafka");
        assertThat(LogsCommand.resolve("gateway")).isEqualTo("gateway");
        assertThatThrownBy(() -> LogsCommand.resolve("redis"))
                .isInstanceOf(StackException.class).hasMessageContaining("one of kafka");
    }

    @Test
    void upTakesWithPrometheusAndLogsKnowsPrometheus() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--with-prometheus", "--detach");
        assertThat(up.withPrometheus).isTrue();
        assertThat(LogsCommand.resolve("prometheus")).isEqualTo("prometheus");
    }

    @Test
    void upTakesAnOpenAiCompatiblePrimaryTier() {
        UpCommand up = new UpCommand();
        new CommandLine(up).parseArgs("--llm-url", "http://127.0.0.1:11434/v1", "--llm-model", "qwen3:8b",
                "--llm-slo", "750ms");

        assertThat(up.primaryTier()).hasValueSatisfying(t -> {
            assertThat(t.model()).isEqualTo("qwen3:8b");
            assertThat(t.slo()).isEqualTo(Duration.ofMillis(750));
        });
    }

    @Test
    void upRefusesHalfAnLlmConfigurationAndAKeyVariableThatIsNotSet() {
        UpCommand noModel = new UpCommand();
        new CommandLine(noModel).parseArgs("--llm-url", "http://127.0.0.1:11434/v1");
        UpCommand noUrl = new UpCommand();
        new CommandLine(noUrl).parseArgs("--llm-model", "m");
        UpCommand unsetKey = new UpCommand();
        new CommandLine(unsetKey).parseArgs("--llm-url", "http://127.0.0.1:8000/v1", "--llm-model", "m",
                "--llm-api-key-env", "KB_TEST_SURELY_UNSET_VARIABLE");

        assertThatThrownBy(noModel::primaryTier).hasMessageContaining("--llm-model");
        assertThatThrownBy(noUrl::primaryTier).hasMessageContaining("need --llm-url");
        assertThatThrownBy(unsetKey::primaryTier).hasMessageContaining("KB_TEST_SURELY_UNSET_VARIABLE is not set");
        assertThat(new UpCommand().primaryTier()).isEmpty();
    }

    @Test
    void readsDurationsInShortAndIsoForms() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("3m")).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("2d")).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void statusOfAStackThatIsNotRunningSaysSoWithItsOwnExitCode() {
        int code = KbCommand.commandLine().execute("status", "--root", dir.toString());
        assertThat(code).isEqualTo(3);
    }

    @Test
    void logsOfAnUnknownComponentFailWithOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = KbCommand.commandLine();
        cli.setErr(new PrintWriter(err));

        int code = cli.execute("logs", "nosuch", "--root", dir.toString());

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("kb: unknown component 'nosuch'").doesNotContain("Exception");
    }

    @Test
    void helpListsTheCommands() {
        StringWriter out = new StringWriter();
        CommandLine cli = KbCommand.commandLine();
        cli.setOut(new PrintWriter(out));

        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("up", "down", "status", "logs", "test");
    }
}
