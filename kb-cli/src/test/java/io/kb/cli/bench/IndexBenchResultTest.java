package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class IndexBenchResultTest {

    private static long[] millis(long... values) {
        long[] nanos = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            nanos[i] = values[i] * 1_000_000;
        }
        return nanos;
    }

    private final IndexBenchResult result = new IndexBenchResult(
            new IndexBenchResult.Setup(1_000_000, 512, 42, "clustered", "int8", 16, 100, 0.9, 4, 10, 2, 2, "/tmp/i", 64),
            new IndexBenchResult.Build(2500, false, "2026-12-07T12:00:00Z"),
            new IndexBenchResult.Index(3L << 30, 7, Double.NaN, 20L << 20, 30.0),
            List.of(new IndexBenchResult.Searches(50, 200, millis(10, 40, 20, 30), 80_000_000, 0.97),
                    new IndexBenchResult.Searches(20, 200, millis(5, 6, 7, 8), 20_000_000, 0.96)));

    @Test
    void percentilesAreNearestRank() {
        long[] nanos = millis(10, 40, 20, 30);

        assertThat(IndexBenchResult.percentileMillis(nanos, 50)).isEqualTo(20.0);
        assertThat(IndexBenchResult.percentileMillis(nanos, 99)).isEqualTo(40.0);
        assertThat(IndexBenchResult.percentileMillis(new long[0], 50)).isNaN();
    }

    @Test
    void ratesAndPerQueryCostComeFromTheCounts() {
        assertThat(result.build().chunksPerSecond(1_000_000)).isCloseTo(400.0, within(1e-9));
        assertThat(result.searches().get(0).cpuMillisPerQuery()).isCloseTo(20.0, within(1e-9));
        assertThat(result.searches().get(0).meanMillis()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void aRowMeetsTheTargetOnlyWithBothLatencyAndRecall() {
        assertThat(result.searches().get(0).meetsTarget()).isFalse();
        assertThat(result.searches().get(1).meetsTarget()).isTrue();
        assertThat(new IndexBenchResult.Searches(20, 200, millis(5), 1, 0.94).meetsTarget()).isFalse();
    }

    @Test
    void theReportHasEveryFigure() {
        String report = result.report();

        assertThat(report).contains("1,000,000 chunks x 512 dims").contains("400 chunks/s").contains("3.00 GiB")
                .contains("7 segments").contains("20.0 MiB").contains("reads 90% of the chunks");
        assertThat(result.table()).contains("40.00").contains("0.970").contains("missed").contains("met");
    }

    @Test
    void theJsonLineHoldsTheSameFigures() {
        String json = result.json(JsonMapper.builder().build());

        assertThat(json).doesNotContain("\n").contains("\"p99Ms\":40.0").contains("\"recall\":0.96")
                .contains("\"sizeOnDiskBytes\":3221225472").contains("\"targetMet\":false").contains("\"mergeSeconds\":null");
    }
}
