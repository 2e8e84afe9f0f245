package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import io.kb.cli.KbCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class IngestBenchRoundsTest {

    /** A round of 100 chunks whose pipeline took {@code pipelineSeconds} against 10 s for the raw model. */
    private static IngestBenchResult round(double pipelineSeconds) {
        return new IngestBenchResult(10, 100, Duration.ofMillis((long) (pipelineSeconds * 1000)), 100,
                Duration.ofSeconds(10), "m", 2);
    }

    @Test
    void medianOfAnOddCountIsTheMiddleRatioAndItsRoundIsPrinted() {
        IngestBenchRounds rounds = new IngestBenchRounds(List.of(round(20), round(10), round(12.5)));
        assertThat(rounds.medianRatio()).isCloseTo(0.8, within(1e-9));
        assertThat(rounds.medianRound()).isSameAs(rounds.rounds().get(2));
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleRatios() {
        IngestBenchRounds rounds = new IngestBenchRounds(List.of(round(20), round(10), round(12.5), round(40)));
        assertThat(rounds.medianRatio()).isCloseTo((0.5 + 0.8) / 2, within(1e-9));
    }

    @Test
    void summaryListsEveryRatioInOrderAndTheMedianAgainstTheTarget() {
        IngestBenchRounds rounds = new IngestBenchRounds(List.of(round(20), round(10), round(12.5)));
        assertThat(rounds.summary()).contains("ratios                 0.50 1.00 0.80")
                .contains("median ratio           0.80 over 3 rounds  (target >= 0.80: met)");
        assertThat(IngestBenchRounds.line(2, round(12.5)))
                .contains("round 2: pipeline 8.0 chunks/s (100 in 12.50 s), raw 10.0 chunks/s, ratio 0.80");
    }

    @Test
    void refusesNoRounds() {
        assertThatThrownBy(() -> new IngestBenchRounds(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void roundsDefaultToOneAndZeroIsRefusedBeforeTouchingTheStack() {
        CommandLine.ParseResult parsed = KbCommand.commandLine().parseArgs("bench", "ingest");
        IngestBenchmark bench = (IngestBenchmark) parsed.subcommand().subcommand().commandSpec().userObject();
        assertThat(bench.rounds).isEqualTo(1);
        CommandLine cli = KbCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("bench", "ingest", "--rounds", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--rounds");
    }

    @Test
    void aWarmUpOfOneRoundRunsByDefaultAndANegativeOneIsRefusedBeforeTouchingTheStack() {
        assertThat(bench("bench", "ingest").warmUpDocuments()).isEqualTo(200);
        assertThat(bench("bench", "ingest", "--documents", "1000").warmUpDocuments()).isEqualTo(1000);
        assertThat(bench("bench", "ingest", "--documents", "1000", "--warm-up-documents", "0").warmUpDocuments()).isZero();
        assertThat(bench("bench", "ingest", "--warm-up-documents", "50").warmUpDocuments()).isEqualTo(50);
        CommandLine cli = KbCommand.commandLine();
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertThat(cli.execute("bench", "ingest", "--warm-up-documents", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--warm-up-documents");
    }

    private static IngestBenchmark bench(String... args) {
        CommandLine.ParseResult parsed = KbCommand.commandLine().parseArgs(args);
        return (IngestBenchmark) parsed.subcommand().subcommand().commandSpec().userObject();
    }
}
