package io.kb.cli.bench;

import static io.kb.cli.bench.BenchFigures.fixed;
import static io.kb.cli.bench.BenchFigures.number;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One run of {@code kb bench gateway}: per concurrency, the same search sent straight to retrieval-service and
 * through the gateway, and what the gateway adds.
 *
 * @param setup        what was measured and how
 * @param levels       the concurrencies measured, in the order they ran
 * @param stoppedEarly why the run ended before every concurrency was measured, or null when it did not
 */
record GatewayBenchResult(Setup setup, List<Level> levels, String stoppedEarly) {

    /** The most latency the gateway may add at the median, in milliseconds. */
    static final double TARGET_ADDED_P50_MS = 1.0;
    /** The least share of the direct throughput the gateway must keep. */
    static final double TARGET_RATIO = 0.9;

    GatewayBenchResult {
        levels = List.copyOf(levels);
    }

    /**
     * @param direct     retrieval-service's search URL
     * @param gateway    the gateway's search URL
     * @param query      the query searched
     * @param mode       the search mode
     * @param topK       hits asked for
     * @param hits       hits the first search returned (the same on both sides, or see {@code hitsNote})
     * @param hitsNote   how the two sides' first answers compare
     * @param client     the load generator
     * @param schedule   warm-up, duration and alternation of the runs
     * @param rateLimits what the gateway's rate limits were and what the bench did about them
     * @param processors processors this machine offers the JVM
     */
    record Setup(String direct, String gateway, String query, String mode, int topK, int hits, String hitsNote,
            String client, String schedule, String rateLimits, int processors) {
    }

    /**
     * One concurrency.
     *
     * @param concurrency requests in flight at once, on each side
     * @param direct      straight to retrieval-service, every slice added up (warm-up not counted)
     * @param gateway     through the gateway, likewise
     * @param clientCpu   the bench's own CPU use over the level, in cores (1.0 = one core busy all along)
     * @param gatewayCpuMicros   the gateway's CPU time per request during its slices beyond its idle use, in
     *                           microseconds; NaN when unknown (endpoints other than the local stack's)
     * @param gatewayIdleCores   the gateway's CPU use during the direct slices, when no request reaches it, in cores
     * @param retrievalCpuMicros retrieval-service's CPU time per request during the direct slices
     */
    record Level(int concurrency, LoadSample direct, LoadSample gateway, double clientCpu, double gatewayCpuMicros,
            double gatewayIdleCores, double retrievalCpuMicros) {

        double addedP50Millis() {
            return gateway.percentileMillis(50) - direct.percentileMillis(50);
        }

        double addedP99Millis() {
            return gateway.percentileMillis(99) - direct.percentileMillis(99);
        }

        /** Gateway throughput as a share of direct throughput; NaN when nothing succeeded directly. */
        double throughputRatio() {
            return direct.throughput() == 0 ? Double.NaN : gateway.throughput() / direct.throughput();
        }

        /** Whether the gateway stays within both targets at this concurrency (never with failed requests). */
        boolean meetsTarget() {
            return direct.failed() == 0 && gateway.failed() == 0
                    && addedP50Millis() <= TARGET_ADDED_P50_MS && throughputRatio() >= TARGET_RATIO;
        }
    }

    /** The report {@code kb bench gateway} prints. */
    String report() {
        StringBuilder r = new StringBuilder();
        line(r, "kb bench gateway: POST /api/v1/search, the same body and bearer token on both sides");
        field(r, "direct", setup.direct() + "  (retrieval-service)");
        field(r, "gateway", setup.gateway());
        field(r, "query", String.format(Locale.ROOT, "\"%s\"  (mode %s, topK %d: %d hits; %s)", setup.query(),
                setup.mode(), setup.topK(), setup.hits(), setup.hitsNote()));
        field(r, "client", setup.client());
        field(r, "schedule", setup.schedule());
        field(r, "limits", setup.rateLimits());
        field(r, "machine", setup.processors() + " processors, shared by the stack and the bench");
        line(r, "");
        r.append(table());
        line(r, "kb cpu: the bench's own CPU use, in cores. gw idle: the gateway's CPU use while only the direct side");
        line(r, "runs, in cores. gw us: the gateway's CPU microseconds per request beyond that idle use; ret us:");
        line(r, "retrieval-service's per direct request; both from the processes' CPU times.");
        line(r, "");
        errors(r);
        verdict(r);
        if (stoppedEarly != null) {
            line(r, "Stopped early: " + stoppedEarly);
        }
        return r.toString();
    }

    /** The figures alone, one row per concurrency. */
    String table() {
        StringBuilder t = new StringBuilder();
        String format = "%5s | %9s %8s %8s | %9s %8s %8s | %8s %8s | %9s | %6s | %-9s | %6s %6s %7s %6s%n";
        t.append(String.format(Locale.ROOT, format, "conc", "direct/s", "p50 ms", "p99 ms", "gateway/s", "p50 ms",
                "p99 ms", "+p50 ms", "+p99 ms", "gw/direct", "target", "errors", "kb cpu", "gw us", "gw idle", "ret us"));
        for (Level l : levels) {
            t.append(String.format(Locale.ROOT, format, l.concurrency(),
                    fixed(l.direct().throughput(), 1), fixed(l.direct().percentileMillis(50), 2),
                    fixed(l.direct().percentileMillis(99), 2),
                    fixed(l.gateway().throughput(), 1), fixed(l.gateway().percentileMillis(50), 2),
                    fixed(l.gateway().percentileMillis(99), 2),
                    signed(l.addedP50Millis()), signed(l.addedP99Millis()), fixed(l.throughputRatio(), 2),
                    l.meetsTarget() ? "met" : "missed", l.direct().failed() + "/" + l.gateway().failed(),
                    fixed(l.clientCpu(), 2), fixed(l.gatewayCpuMicros(), 0), fixed(l.gatewayIdleCores(), 2),
                    fixed(l.retrievalCpuMicros(), 0)));
        }
        return t.toString();
    }

    /** Every failure, by level and side, with the first answer of each kind: none is ever left out. */
    private void errors(StringBuilder r) {
        boolean any = false;
        for (Level l : levels) {
            for (Map.Entry<String, LoadSample> side : Map.of("direct", l.direct(), "gateway", l.gateway())
                    .entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
                LoadSample s = side.getValue();
                for (Map.Entry<String, Long> e : s.errors().entrySet()) {
                    any = true;
                    line(r, String.format(Locale.ROOT, "Errors at concurrency %d, %s: %d x %s; first: %s",
                            l.concurrency(), side.getKey(), e.getValue(), e.getKey(),
                            s.errorSamples().getOrDefault(e.getKey(), "")));
                }
            }
        }
        if (!any) {
            line(r, "Errors: none (every request on both sides was answered 200).");
        }
    }

    private void verdict(StringBuilder r) {
        String met = levels.stream().filter(Level::meetsTarget).map(l -> Integer.toString(l.concurrency()))
                .collect(Collectors.joining(", "));
        String missed = levels.stream().filter(l -> !l.meetsTarget()).map(l -> Integer.toString(l.concurrency()))
                .collect(Collectors.joining(", "));
        line(r, String.format(Locale.ROOT, "Target: the gateway adds <= %.1f ms at p50 and keeps >= %.0f%% of the "
                + "direct throughput, without errors.", TARGET_ADDED_P50_MS, TARGET_RATIO * 100));
        line(r, "  met at concurrency: " + (met.isEmpty() ? "none" : met)
                + (missed.isEmpty() ? "" : "; missed at: " + missed));
    }

    /** The same figures as JSON, for scripts. */
    String json(JsonMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode s = root.putObject("setup");
        s.put("direct", setup.direct()).put("gateway", setup.gateway()).put("query", setup.query())
                .put("mode", setup.mode()).put("topK", setup.topK()).put("hits", setup.hits())
                .put("hitsNote", setup.hitsNote()).put("client", setup.client()).put("schedule", setup.schedule())
                .put("rateLimits", setup.rateLimits()).put("processors", setup.processors());
        ObjectNode target = root.putObject("target");
        target.put("maxAddedP50Ms", TARGET_ADDED_P50_MS).put("minThroughputRatio", TARGET_RATIO);
        ArrayNode rows = root.putArray("levels");
        for (Level l : levels) {
            ObjectNode row = rows.addObject();
            row.put("concurrency", l.concurrency());
            side(row.putObject("direct"), l.direct());
            side(row.putObject("gateway"), l.gateway());
            number(row, "addedP50Ms", l.addedP50Millis());
            number(row, "addedP99Ms", l.addedP99Millis());
            number(row, "throughputRatio", l.throughputRatio());
            row.put("targetMet", l.meetsTarget());
            number(row, "clientCpuCores", l.clientCpu());
            number(row, "gatewayCpuMicrosPerRequest", l.gatewayCpuMicros());
            number(row, "gatewayIdleCpuCores", l.gatewayIdleCores());
            number(row, "retrievalCpuMicrosPerRequest", l.retrievalCpuMicros());
        }
        if (stoppedEarly != null) {
            root.put("stoppedEarly", stoppedEarly);
        }
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static void side(ObjectNode node, LoadSample s) {
        node.put("requests", s.succeeded());
        number(node, "seconds", s.elapsedNanos() / 1e9);
        number(node, "throughput", s.throughput());
        number(node, "p50Ms", s.percentileMillis(50));
        number(node, "p99Ms", s.percentileMillis(99));
        ObjectNode errors = node.putObject("errors");
        s.errors().forEach(errors::put);
        ObjectNode samples = node.putObject("errorSamples");
        s.errorSamples().forEach(samples::put);
    }

    private static String signed(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%+.2f", value) : "-";
    }

    private static void field(StringBuilder r, String name, String value) {
        line(r, String.format(Locale.ROOT, "  %-9s %s", name, value));
    }

    private static void line(StringBuilder r, String text) {
        r.append(text).append(System.lineSeparator());
    }
}
