package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import io.kb.cli.KbCommand;
import io.kb.cli.bench.ClosedLoopLoad.Length;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatewayBenchmarkTest {

    @TempDir
    Path dir;

    private static GatewayBenchmark parse(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "bench";
        full[1] = "gateway";
        System.arraycopy(args, 0, full, 2, args.length);
        CommandLine.ParseResult parsed = KbCommand.commandLine().parseArgs(full);
        return (GatewayBenchmark) parsed.subcommand().subcommand().commandSpec().userObject();
    }

    /** Runs the command and returns its exit code and standard error. */
    private record Run(int code, String err) {
    }

    private Run execute(String... args) {
        CommandLine cli = KbCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        String[] full = new String[args.length + 4];
        full[0] = "bench";
        full[1] = "gateway";
        System.arraycopy(args, 0, full, 2, args.length);
        full[full.length - 2] = "--root";
        full[full.length - 1] = dir.toString();
        return new Run(cli.execute(full), err.toString());
    }

    @Test
    void defaultsMeasureFourConcurrenciesForTenSecondsInFourSlices() {
        GatewayBenchmark bench = parse();

        assertThat(bench.concurrency).containsExactly(1, 4, 16, 64);
        assertThat(bench.mode).isEqualTo("hybrid");
        assertThat(bench.topK).isEqualTo(5);
        assertThat(bench.user).isEqualTo("bench");
        assertThat(bench.tenant).isEqualTo("aurora");
        assertThat(bench.query).isEqualTo(GatewayBenchmark.DEFAULT_QUERY);
        assertThat(bench.warmUp).isEqualTo(Duration.ofSeconds(10));
        assertThat(bench.json).isFalse();
        assertThatCode(bench::validate).doesNotThrowAnyException();
        assertThat(bench.sliceLengths()).containsExactly(new Length.Timed(Duration.ofMillis(2500)),
                new Length.Timed(Duration.ofMillis(2500)), new Length.Timed(Duration.ofMillis(2500)),
                new Length.Timed(Duration.ofMillis(2500)));
        assertThat(bench.schedule()).contains("10 s warm-up per side", "10 s per side in 4 alternating slices");
    }

    @Test
    void helpDescribesTheTargetAndHowToRaiseTheRateLimits() {
        CommandLine cli = KbCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        // picocli reports a description it cannot format (a lone %) on System.err and prints it raw.
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(cli.execute("bench", "gateway", "--help")).isZero();
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("Could not format");
        assertThat(out.toString()).contains(">= 90% of the direct throughput", "KB_GATEWAY_RATELIMIT_USER_CAPACITY",
                "--concurrency", "--requests", "--slices", "--json");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void readsTheOptionsItIsGiven() {
        GatewayBenchmark bench = parse("--concurrency", "2,8,32", "--duration", "30s", "--slices", "6",
                "--warm-up", "500ms", "--mode", "bm25", "--top-k", "3", "--query", "expenses", "--user", "carol",
                "--groups", "finance,executives", "--json");

        assertThat(bench.concurrency).containsExactly(2, 8, 32);
        assertThat(bench.duration).isEqualTo(Duration.ofSeconds(30));
        assertThat(bench.warmUp).isEqualTo(Duration.ofMillis(500));
        assertThat(bench.groups).containsExactly("finance", "executives");
        assertThat(bench.json).isTrue();
        assertThatCode(bench::validate).doesNotThrowAnyException();
        assertThat(bench.sliceLengths()).hasSize(6).allMatch(l -> l.equals(new Length.Timed(Duration.ofSeconds(5))));
        assertThat(bench.schedule()).contains("500 ms warm-up per side", "30 s per side in 6 alternating slices");
    }

    @Test
    void requestsAreSharedOutOverTheSlicesWithTheRemainderFirst() {
        GatewayBenchmark bench = parse("--requests", "10", "--slices", "4");

        assertThat(bench.sliceLengths()).containsExactly(new Length.Counted(3), new Length.Counted(3),
                new Length.Counted(2), new Length.Counted(2));
        assertThat(bench.schedule()).contains("10 requests per side");
    }

    @Test
    void badOptionsFailWithOneLineNamingTheOptionBeforeTouchingTheStack() {
        Map<List<String>, String> cases = Map.of(
                List.of("--concurrency", "1,0"), "--concurrency",
                List.of("--duration", "5s", "--requests", "100"), "--duration and --requests",
                List.of("--mode", "fuzzy"), "--mode must be one of hybrid, dense, bm25",
                List.of("--requests", "3", "--slices", "4"), "--requests must be at least --slices",
                List.of("--slices", "0"), "--slices",
                List.of("--top-k", "0"), "--top-k",
                List.of("--query", " "), "--query",
                List.of("--tenant", "Not A Tenant"), "tenant");
        cases.forEach((args, message) -> {
            Run run = execute(args.toArray(String[]::new));
            assertThat(run.code()).as("%s", args).isEqualTo(2);
            assertThat(run.err()).as("%s", args).startsWith("kb: ").contains(message).doesNotContain("Exception");
        });
    }

    @Test
    void withoutARunningStackItSaysHowToStartOne() {
        Run run = execute("--concurrency", "1");

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains("no local stack is running").contains("./kb up");
    }

    @Test
    void budgetRefusesACountedRunLargerThanTheTokensLeft() {
        GatewayBenchmark.Budget budget = new GatewayBenchmark.Budget(1000, OptionalLong.of(5000));

        assertThatCode(() -> budget.check(new Length.Counted(1000), 8)).doesNotThrowAnyException();
        assertThatThrownBy(() -> budget.check(new Length.Counted(1001), 8))
                .isInstanceOf(GatewayBenchmark.Budget.Exhausted.class)
                .hasMessageContaining("1000 tokens left").hasMessageContaining("RateLimit-Limit 5000")
                .hasMessageContaining("KB_GATEWAY_RATELIMIT_TENANT_CAPACITY");
    }

    @Test
    void budgetForATimedRunUsesTheFastestRateSeenWithHeadroom() {
        GatewayBenchmark.Budget budget = new GatewayBenchmark.Budget(10_000, OptionalLong.of(100_000));
        // 1000 requests in one second, leaving 8000 tokens.
        budget.spent(new LoadSample(LoadSampleTest.millis(1000), 1_000_000_000L, Map.of(), Map.of(), 8000));

        // 4 s at 1000/s with 1.5 x headroom and one per worker: 6004, fits in 8000; 6 s would need 9004.
        assertThatCode(() -> budget.check(new Length.Timed(Duration.ofSeconds(4)), 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> budget.check(new Length.Timed(Duration.ofSeconds(6)), 4))
                .isInstanceOf(GatewayBenchmark.Budget.Exhausted.class).hasMessageContaining("8000 tokens left")
                .hasMessageContaining("about 9004 needed");
    }

    @Test
    void budgetWithoutRateLimitHeadersNeverRefuses() {
        GatewayBenchmark.Budget budget = new GatewayBenchmark.Budget(-1, OptionalLong.empty());
        budget.spent(new LoadSample(LoadSampleTest.millis(1000), 1_000_000L, Map.of(), Map.of(), -1));

        assertThatCode(() -> budget.check(new Length.Counted(Long.MAX_VALUE), 64)).doesNotThrowAnyException();
        assertThatCode(() -> budget.check(new Length.Timed(Duration.ofHours(1)), 64)).doesNotThrowAnyException();
    }

    @Test
    void cpuTallyDividesTheProcessesCpuTimeOverTheRunsByTheirRequests() throws Exception {
        // A process that has used 1 ms more CPU at every reading: 2 ms over two runs of 10 and 25 + 5 requests.
        AtomicLong millis = new AtomicLong();
        GatewayBenchmark.CpuTally counting = new GatewayBenchmark.CpuTally(
                () -> Optional.of(Duration.ofMillis(millis.incrementAndGet())));
        // A process that used no CPU at all while the runs went on.
        GatewayBenchmark.CpuTally idle = new GatewayBenchmark.CpuTally(() -> Optional.of(Duration.ofMillis(5)));

        counting.during(() -> new LoadSample(LoadSampleTest.millis(10), 1, Map.of(), Map.of(), -1));
        counting.during(() -> new LoadSample(LoadSampleTest.millis(25), 1, Map.of("HTTP 429", 5L), Map.of(), -1));
        idle.during(() -> new LoadSample(LoadSampleTest.millis(10), 1, Map.of(), Map.of(), -1));

        assertThat(counting.microsPerRequestBeyond(0)).isEqualTo(2000.0 / 40);
        assertThat(counting.cores()).isPositive();
        assertThat(idle.microsPerRequestBeyond(0)).isZero();
        assertThat(idle.cores()).isZero();
    }

    @Test
    void cpuTallySubtractsWhatTheProcessUsesWithoutRequests() throws Exception {
        // 2 ms of CPU over one run of 20 requests; the run's wall time is whatever it took here.
        AtomicLong millis = new AtomicLong();
        GatewayBenchmark.CpuTally busy = new GatewayBenchmark.CpuTally(
                () -> Optional.of(Duration.ofMillis(2 * millis.getAndIncrement())));
        busy.during(() -> new LoadSample(LoadSampleTest.millis(20), 1, Map.of(), Map.of(), -1));
        double gross = busy.microsPerRequestBeyond(0);
        assertThat(gross).isEqualTo(100.0);
        // Whatever the wall time was, an idle use of c cores takes c x wall off the 2 ms, spread over 20 requests.
        double cores = busy.cores();
        assertThat(cores).isPositive();
        assertThat(busy.microsPerRequestBeyond(cores / 2)).isCloseTo(50.0, within(1e-6));
        assertThat(busy.microsPerRequestBeyond(cores)).isCloseTo(0.0, within(1e-6));
        assertThat(busy.microsPerRequestBeyond(Double.NaN)).isNaN();
    }

    @Test
    void cpuTallyOfAnUnknownProcessOrOfNoRequestsIsNaN() throws Exception {
        GatewayBenchmark.CpuTally unknown = new GatewayBenchmark.CpuTally(ProcessCpu.UNKNOWN);
        unknown.during(() -> new LoadSample(LoadSampleTest.millis(10), 1, Map.of(), Map.of(), -1));
        assertThat(unknown.microsPerRequestBeyond(0)).isNaN();
        assertThat(unknown.cores()).isNaN();

        GatewayBenchmark.CpuTally noRuns = new GatewayBenchmark.CpuTally(ProcessCpu.of(ProcessHandle.current()));
        assertThat(noRuns.microsPerRequestBeyond(0)).isNaN();
        assertThat(noRuns.cores()).isNaN();
    }

    @Test
    void theCpuTimeOfARealProcessIsReadAndNeverGoesBack() {
        ProcessCpu self = ProcessCpu.of(ProcessHandle.current());
        Duration first = self.used().orElseThrow();
        long sum = 0;
        for (int i = 0; i < 5_000_000; i++) {
            sum += Integer.toString(i).hashCode();
        }
        assertThat(sum).isNotZero();
        assertThat(self.used().orElseThrow()).isPositive().isGreaterThanOrEqualTo(first);
    }

    @Test
    void rateLimitNoteSaysWhetherTheLimitsAreOnAndHowManyTokensAreLeft() {
        assertThat(GatewayBenchmark.rateLimitNote(OptionalLong.empty(), -1)).contains("rate limits are off");
        assertThat(GatewayBenchmark.rateLimitNote(OptionalLong.of(100_000_000), 99_999_990))
                .contains("RateLimit-Limit 100000000").contains("99999990 tokens left");
    }
}
