package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import io.kb.cli.KbCommand;
import io.kb.contracts.FieldRules;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestBenchResultTest {

    private final IngestBenchResult result = new IngestBenchResult(200, 800, Duration.ofSeconds(20), 800,
            Duration.ofSeconds(16), "bge-small-en-v1.5", 16);

    @Test
    void ratesAndRatioComeFromCountsAndDurations() {
        assertThat(result.pipelineDocumentsPerSecond()).isCloseTo(10.0, within(1e-9));
        assertThat(result.pipelineChunksPerSecond()).isCloseTo(40.0, within(1e-9));
        assertThat(result.rawChunksPerSecond()).isCloseTo(50.0, within(1e-9));
        assertThat(result.ratio()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void tablePrintsEveryFigureAndWhetherTheTargetIsMet() {
        assertThat(result.table()).isEqualTo("""
                  documents              200
                  chunks                 800
                  pipeline time          20.00 s
                  pipeline documents/s   10.0
                  pipeline chunks/s      40.0
                  raw model time         16.00 s
                  raw model chunks/s     50.0
                  pipeline / raw         0.80  (target >= 0.80: met)
                  model                  bge-small-en-v1.5
                  processors             16
                """.replace("\n", System.lineSeparator()));
        IngestBenchResult slow = new IngestBenchResult(10, 30, Duration.ofSeconds(10), 30, Duration.ofSeconds(3),
                null, 2);
        assertThat(slow.table()).contains("pipeline / raw         0.30  (target >= 0.80: not met)")
                .contains("model                  unknown");
    }

    @Test
    void refusesAZeroDuration() {
        assertThatThrownBy(() -> new IngestBenchResult(1, 1, Duration.ZERO, 1, Duration.ofSeconds(1), null, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultTenantIsAValidTenantNamedForTheTime() {
        String tenant = IngestBenchmark.defaultTenant(ZonedDateTime.of(2025, 3, 4, 5, 6, 7, 0, ZoneOffset.UTC));
        assertThat(tenant).isEqualTo("bench-20250304-050607");
        assertThat(FieldRules.requireTenant(tenant)).isEqualTo(tenant);
    }

    @Test
    void benchIngestIsRegisteredWithItsDefaults() {
        CommandLine.ParseResult parsed = KbCommand.commandLine().parseArgs("bench", "ingest");
        IngestBenchmark bench = (IngestBenchmark) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(bench.documents).isEqualTo(200);
        assertThat(bench.paragraphs).isEqualTo(6);
        assertThat(bench.tenant).isNull();
        assertThat(bench.batchSize).isEqualTo(32);
        assertThat(bench.concurrency).isEqualTo(2);
        assertThat(bench.timeout).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void badCountsFailWithOneClearLineBeforeTouchingTheStack() {
        CommandLine cli = KbCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        int code = cli.execute("bench", "ingest", "--documents", "0");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--documents");
    }
}
