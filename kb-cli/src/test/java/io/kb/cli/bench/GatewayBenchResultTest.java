package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class GatewayBenchResultTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final GatewayBenchResult.Setup SETUP = new GatewayBenchResult.Setup(
            "http://127.0.0.1:8082/api/v1/search", "http://127.0.0.1:8080/api/v1/search", "annual leave", "bm25", 5,
            5, "the same hits on both sides", "JDK HttpClient", "2 s warm-up", "limits raised", 2);

    /** {@code count} requests of {@code micros} each, over one second, with the given failures. */
    private static LoadSample sample(int count, long micros, Map<String, Long> errors) {
        Histogram h = LoadSample.newHistogram();
        h.recordValueWithCount(micros, count);
        Map<String, String> samples = new java.util.HashMap<>();
        errors.keySet().forEach(kind -> samples.put(kind, "first " + kind));
        return new LoadSample(h, 1_000_000_000L, errors, samples, -1);
    }

    private final GatewayBenchResult.Level fast = new GatewayBenchResult.Level(1,
            sample(400, 1500, Map.of()), sample(380, 2000, Map.of()), 0.12, 180.4, 0.03,
            949.6);
    private final GatewayBenchResult.Level slow = new GatewayBenchResult.Level(16,
            sample(500, 1000, Map.of()), sample(300, 2040, Map.of("HTTP 503", 2L)), 0.30, Double.NaN,
            Double.NaN, Double.NaN);

    @Test
    void addedLatencyAndThroughputRatioComeFromBothSides() {
        assertThat(fast.addedP50Millis()).isCloseTo(0.5, within(1e-9));
        assertThat(fast.addedP99Millis()).isCloseTo(0.5, within(1e-9));
        assertThat(fast.throughputRatio()).isCloseTo(0.95, within(1e-9));
        assertThat(fast.meetsTarget()).isTrue();

        assertThat(slow.addedP50Millis()).isCloseTo(1.04, within(1e-9));
        assertThat(slow.throughputRatio()).isCloseTo(0.6, within(1e-9));
        assertThat(slow.meetsTarget()).isFalse();
    }

    @Test
    void theTargetsBoundsAreIncludedAndAnyErrorMissesIt() {
        GatewayBenchResult.Level atBounds = new GatewayBenchResult.Level(4,
                sample(100, 1000, Map.of()), sample(90, 2000, Map.of()), 0, Double.NaN, Double.NaN, Double.NaN);
        assertThat(atBounds.addedP50Millis()).isEqualTo(GatewayBenchResult.TARGET_ADDED_P50_MS);
        assertThat(atBounds.throughputRatio()).isEqualTo(GatewayBenchResult.TARGET_RATIO);
        assertThat(atBounds.meetsTarget()).isTrue();

        GatewayBenchResult.Level overP50 = new GatewayBenchResult.Level(4,
                sample(100, 1000, Map.of()), sample(100, 2010, Map.of()), 0, Double.NaN, Double.NaN, Double.NaN);
        assertThat(overP50.meetsTarget()).isFalse();

        GatewayBenchResult.Level withDirectErrors = new GatewayBenchResult.Level(4,
                sample(100, 1000, Map.of("HTTP 500", 1L)), sample(100, 1000, Map.of()), 0, Double.NaN, Double.NaN, Double.NaN);
        assertThat(withDirectErrors.meetsTarget()).isFalse();
    }

    @Test
    void nothingSucceededDirectlyGivesNoRatioAndNoVerdict() {
        GatewayBenchResult.Level none = new GatewayBenchResult.Level(1,
                LoadSample.empty(), sample(10, 1000, Map.of()), 0, Double.NaN, Double.NaN, Double.NaN);

        assertThat(none.throughputRatio()).isNaN();
        assertThat(none.addedP50Millis()).isNaN();
        assertThat(none.meetsTarget()).isFalse();
    }

    @Test
    void tableHasOneRowPerConcurrencyWithEveryFigure() {
        GatewayBenchResult result = new GatewayBenchResult(SETUP, List.of(fast, slow), null);

        assertThat(result.table()).isEqualTo("""
                 conc |  direct/s   p50 ms   p99 ms | gateway/s   p50 ms   p99 ms |  +p50 ms  +p99 ms | gw/direct \
                | target | errors    | kb cpu  gw us gw idle ret us
                    1 |     400.0     1.50     1.50 |     380.0     2.00     2.00 |    +0.50    +0.50 |      0.95 \
                |    met | 0/0       |   0.12    180    0.03    950
                   16 |     500.0     1.00     1.00 |     300.0     2.04     2.04 |    +1.04    +1.04 |      0.60 \
                | missed | 0/2       |   0.30      -       -      -
                """.replace("\n", System.lineSeparator()));
    }

    @Test
    void reportNamesEveryErrorWithItsFirstAnswerAndTheVerdict() {
        String report = new GatewayBenchResult(SETUP, List.of(fast, slow), null).report();

        assertThat(report)
                .contains("direct    http://127.0.0.1:8082/api/v1/search  (retrieval-service)")
                .contains("\"annual leave\"  (mode bm25, topK 5: 5 hits; the same hits on both sides)")
                .contains("limits    limits raised")
                .contains("Errors at concurrency 16, gateway: 2 x HTTP 503; first: first HTTP 503")
                .contains("met at concurrency: 1; missed at: 16")
                .doesNotContain("Errors: none")
                .doesNotContain("Stopped early");
    }

    @Test
    void reportSaysWhenThereWereNoErrorsAndWhyItStoppedEarly() {
        String report = new GatewayBenchResult(SETUP, List.of(fast), "no tokens left").report();

        assertThat(report).contains("Errors: none").contains("met at concurrency: 1" + System.lineSeparator())
                .contains("Stopped early: no tokens left");
    }

    @Test
    void jsonCarriesTheSameFiguresAndNullForWhatCouldNotBeComputed() {
        GatewayBenchResult.Level none = new GatewayBenchResult.Level(64,
                LoadSample.empty(), sample(10, 1000, Map.of()), 0, Double.NaN, Double.NaN, Double.NaN);
        JsonNode root = JSON.readTree(new GatewayBenchResult(SETUP, List.of(fast, slow, none), null).json(JSON));

        assertThat(root.path("setup").path("mode").asString()).isEqualTo("bm25");
        assertThat(root.path("target").path("maxAddedP50Ms").asDouble()).isEqualTo(1.0);
        JsonNode first = root.path("levels").get(0);
        assertThat(first.path("concurrency").asInt()).isEqualTo(1);
        assertThat(first.path("direct").path("requests").asLong()).isEqualTo(400);
        assertThat(first.path("direct").path("throughput").asDouble()).isCloseTo(400.0, within(1e-9));
        assertThat(first.path("gateway").path("p50Ms").asDouble()).isCloseTo(2.0, within(1e-9));
        assertThat(first.path("addedP50Ms").asDouble()).isCloseTo(0.5, within(1e-9));
        assertThat(first.path("targetMet").asBoolean()).isTrue();
        assertThat(first.path("gatewayCpuMicrosPerRequest").asDouble()).isCloseTo(180.4, within(1e-9));
        assertThat(first.path("retrievalCpuMicrosPerRequest").asDouble()).isCloseTo(949.6, within(1e-9));
        assertThat(first.path("gatewayIdleCpuCores").asDouble()).isCloseTo(0.03, within(1e-9));
        JsonNode second = root.path("levels").get(1);
        assertThat(second.path("gateway").path("errors").path("HTTP 503").asLong()).isEqualTo(2);
        assertThat(second.path("gateway").path("errorSamples").path("HTTP 503").asString())
                .isEqualTo("first HTTP 503");
        JsonNode third = root.path("levels").get(2);
        assertThat(third.path("direct").path("p50Ms").isNull()).isTrue();
        assertThat(third.path("throughputRatio").isNull()).isTrue();
        assertThat(third.path("gatewayCpuMicrosPerRequest").isNull()).isTrue();
        assertThat(root.has("stoppedEarly")).isFalse();
    }
}
