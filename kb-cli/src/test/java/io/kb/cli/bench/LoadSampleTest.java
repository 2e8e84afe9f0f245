package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoadSampleTest {

    /** Latencies of 1, 2, ..., n milliseconds, in the histogram's microseconds. */
    static Histogram millis(int n) {
        Histogram h = LoadSample.newHistogram();
        for (int i = 1; i <= n; i++) {
            h.recordValue(i * 1000L);
        }
        return h;
    }

    @Test
    void percentilesAreInMillisecondsWithinTheHistogramsResolution() {
        LoadSample s = new LoadSample(millis(1000), 2_000_000_000L, Map.of(), Map.of(), -1);

        // 1 to 1000 ms: the 500th value is the median, the 990th the 99th percentile; 3 digits = 0.1%.
        assertThat(s.percentileMillis(50)).isCloseTo(500.0, within(0.5));
        assertThat(s.percentileMillis(99)).isCloseTo(990.0, within(1.0));
        assertThat(s.percentileMillis(100)).isCloseTo(1000.0, within(1.0));
    }

    @Test
    void throughputCountsOnlySuccessesOverWallTime() {
        LoadSample s = new LoadSample(millis(300), 1_500_000_000L, Map.of("HTTP 503", 50L), Map.of(), -1);

        assertThat(s.succeeded()).isEqualTo(300);
        assertThat(s.failed()).isEqualTo(50);
        assertThat(s.throughput()).isCloseTo(200.0, within(1e-9));
    }

    @Test
    void anEmptySampleHasNoPercentilesAndNoThroughput() {
        LoadSample empty = LoadSample.empty();

        assertThat(empty.percentileMillis(50)).isNaN();
        assertThat(empty.throughput()).isZero();
        assertThat(empty.remaining()).isEqualTo(-1);
    }

    @Test
    void samplesAddUpCountsFailuresTimesAndKeepTheFewestTokens() {
        LoadSample a = new LoadSample(millis(100), 1_000_000_000L, Map.of("HTTP 429", 2L),
                Map.of("HTTP 429", "first"), 900);
        LoadSample b = new LoadSample(millis(50), 500_000_000L, Map.of("HTTP 429", 3L, "ConnectException", 1L),
                Map.of("HTTP 429", "second", "ConnectException", "refused"), -1);

        LoadSample both = a.plus(b);

        assertThat(both.succeeded()).isEqualTo(150);
        assertThat(both.elapsedNanos()).isEqualTo(1_500_000_000L);
        assertThat(both.throughput()).isCloseTo(100.0, within(1e-9));
        assertThat(both.errors()).containsExactly(Map.entry("ConnectException", 1L), Map.entry("HTTP 429", 5L));
        assertThat(both.errorSamples()).containsEntry("HTTP 429", "first").containsEntry("ConnectException", "refused");
        assertThat(both.remaining()).isEqualTo(900);
        assertThat(b.plus(a).remaining()).isEqualTo(900);
        // The parts are left as they were.
        assertThat(a.succeeded()).isEqualTo(100);
        assertThat(b.succeeded()).isEqualTo(50);
    }

    @Test
    void fewerTreatsMinusOneAsUnknown() {
        assertThat(LoadSample.fewer(-1, -1)).isEqualTo(-1);
        assertThat(LoadSample.fewer(-1, 7)).isEqualTo(7);
        assertThat(LoadSample.fewer(7, -1)).isEqualTo(7);
        assertThat(LoadSample.fewer(7, 3)).isEqualTo(3);
        assertThat(LoadSample.fewer(0, 3)).isZero();
    }

    @Test
    void refusesANegativeDuration() {
        assertThatThrownBy(() -> new LoadSample(LoadSample.newHistogram(), -1, Map.of(), Map.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
