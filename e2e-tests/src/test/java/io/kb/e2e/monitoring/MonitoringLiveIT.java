package io.kb.e2e.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kb.cli.ingest.Ingestion;
import io.kb.cli.llm.StandInLlm;
import io.kb.cli.ingest.SampleKnowledgeBase;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.OpenAiTier;
import io.kb.cli.stack.StackListener;
import io.kb.cli.stack.StackPorts;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring files against live data: the local stack, a real Prometheus on loopback scraping it with a copy
 * of {@code prometheus-local.yml} (1 s scrapes and rule evaluations) and the rule files, traffic through the
 * gateway and Kafka (the sample knowledge base, two documents that end on the dead-letter topic, searches, calls
 * without a token, questions), then every recording rule, every alert expression and every dashboard query sent
 * to Prometheus's query API. Every one must parse; recording rules and dashboard queries must return series,
 * except those over exporters the local stack does not run (Triton, Kafka exporter, Milvus).
 *
 * <p>inference-service runs a primary tier on a stand-in model server in this JVM ({@link StandInLlm}) before the
 * extractive tier. The first questions are answered by it; then its first token is slowed to 2 s, so the answers
 * degrade to the extractive tier and the primary's circuit opens, and the degradation series, panels and alert have
 * data. Every query, with the number of series it returned, is printed and written to
 * {@code e2e-tests/target/monitoring-live/queries.md}.
 */
class MonitoringLiveIT {

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();
    private static final Duration SLO = Duration.ofMillis(500);

    private static Path root;
    private static LocalStack stack;
    private static Process prometheus;
    private static URI prometheusUrl;
    private static StandInLlm llm;
    private static Path work;

    @BeforeAll
    static void startStackAndPrometheus() throws Exception {
        Path binary = Promtool.find("prometheus").orElse(null);
        assumeTrue(binary != null, "prometheus " + Promtool.HOW_TO_INSTALL);
        root = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize();
        work = root.resolve("e2e-tests/target/monitoring-live");
        llm = StandInLlm.start(0, StandInLlm.DEFAULT_MODEL, Duration.ofMillis(20));
        stack = new LocalStack(root, work.resolve("stack-home"), StackPorts.ephemeral()).withServiceArgs(
                "inference-service", OpenAiTier.primary(llm.baseUrl(), llm.model(), null, SLO).thenExtractive());
        stack.start(StackListener.SILENT, Duration.ofMinutes(4));

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, localConfigFor(stack.ports()));
        prometheusUrl = URI.create("http://127.0.0.1:" + port);
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + work.resolve("tsdb"),
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        awaitReady();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
        if (stack != null) {
            stack.stop(StackListener.SILENT);
        }
        if (llm != null) {
            llm.close();
        }
    }

    @Test
    void everyRuleAndEveryDashboardQueryParsesAndTheQueriesHaveData() throws Exception {
        driveTraffic();
        degradePrimaryTier();
        // Long enough for rates over several 1 s scrapes, and for the rules to have run on them.
        Thread.sleep(20_000);

        List<String> unparsable = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> listing = new ArrayList<>();
        int queries = 0;
        for (JsonNode group : getJson("/api/v1/rules").path("data").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String expr = rule.path("query").asString();
                boolean recording = "recording".equals(rule.path("type").asString());
                String name = (recording ? "recording rule " : "alert ") + rule.path("name").asString();
                queries++;
                // An alert's expression returns series only while it fires; about degradation, it must fire now.
                boolean degradationAlert = !recording && DEGRADATION.matcher(expr).find();
                check(name, expr, recording || degradationAlert, unparsable, empty, listing);
            }
        }
        assertThat(queries).as("rules Prometheus loaded").isGreaterThan(40);
        for (Dashboards.Panel panel : Dashboards.panels(root.resolve("monitoring/grafana/dashboards"))) {
            List<String> exprs = panel.expressions();
            for (int i = 0; i < exprs.size(); i++) {
                queries++;
                check("panel " + panel + " [" + (char) ('A' + i) + "]", Dashboards.substitute(exprs.get(i)), true,
                        unparsable, empty, listing);
            }
        }
        writeListing(listing);
        System.out.println("[monitoring] " + queries + " queries; " + unparsable.size() + " did not parse, "
                + empty.size() + " returned no series");
        unparsable.forEach(q -> System.out.println("[monitoring] UNPARSABLE " + q));
        empty.forEach(q -> System.out.println("[monitoring] EMPTY " + q));
        assertThat(unparsable).as("queries Prometheus refused").isEmpty();
        assertThat(empty).as("queries that returned no series after the traffic (" + empty.size() + ")").isEmpty();

        // The degradation itself, as the series show it.
        assertThat(series("max_over_time(kb_inference_degradation_state{tier=\"primary\"}[5m]) == 2"))
                .as("the primary's circuit was open (state 2)").isPositive();
        assertThat(series("kb_inference_tier_total{tier=\"extractive\", reason=\"slow\"}"))
                .as("answers that waited for the slow primary, then came from the extractive tier").isPositive();
        assertThat(series("kb_inference_tier_total{tier=\"extractive\", reason=\"circuit_open\"}"))
                .as("answers that skipped the primary's open circuit").isPositive();
        assertThat(series("kb_inference_tier_total{tier=\"primary\", reason=\"healthy\"}"))
                .as("answers of the primary before it slowed down").isPositive();
    }

    /** Metrics and rules about the degradation of the generator tiers. */
    private static final Pattern DEGRADATION = Pattern.compile("kb_inference_degradation|kb_inference_tier[_:]");
    /** A top-level comparison with a number at the end of an alert's expression: its threshold. */
    private static final Pattern THRESHOLD = Pattern.compile("^(.*\\S)\\s*(?:>|<|>=|<=|==|!=)\\s*[0-9.e+-]+\\s*$",
            Pattern.DOTALL);

    private static void check(String name, String expr, boolean needsData, List<String> unparsable, List<String> empty,
            List<String> listing) throws Exception {
        HttpResponse<String> r = query(expr);
        if (r.statusCode() != 200) {
            unparsable.add(name + ": HTTP " + r.statusCode() + " " + json.readTree(r.body()).path("error").asString()
                    + " -- " + expr);
            listing.add(row(name, "unparsable", "", expr));
            return;
        }
        boolean clusterOnly = Dashboards.readsOnlyClusterMetrics(expr);
        int n = json.readTree(r.body()).path("data").path("result").size();
        // For an alert, also the series under its threshold: that its input has data even while it does not fire.
        String input = "";
        Matcher threshold = THRESHOLD.matcher(expr.strip());
        if (name.startsWith("alert ") && threshold.matches()) {
            input = Integer.toString(series(threshold.group(1)));
        }
        listing.add(row(name, n + (clusterOnly ? " (cluster-only)" : ""), input, expr));
        System.out.println("[monitoring] " + n + " series" + (input.isEmpty() ? "" : ", " + input
                + " under the threshold") + " | " + name + " | " + expr.replaceAll("\\s+", " "));
        if (needsData && !clusterOnly && n == 0) {
            empty.add(name + " -- " + expr);
        }
    }

    private static String row(String name, String series, String input, String expr) {
        return "| " + name.replace("|", "/") + " | " + series + " | " + input + " | `"
                + expr.replaceAll("\\s+", " ").replace("|", "\\|") + "` |";
    }

    private static void writeListing(List<String> rows) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "# Monitoring queries against the live local stack",
                "",
                "Every recording rule, alert expression and dashboard panel query, sent to Prometheus after the "
                        + "traffic of MonitoringLiveIT (primary tier degraded to extractive). `series`: what the "
                        + "query returned; `under threshold`: for an alert, what its expression returns without the "
                        + "final comparison.",
                "",
                "| rule or panel | series | under threshold | query |",
                "|---|---|---|---|"));
        lines.addAll(rows);
        Files.write(work.resolve("queries.md"), lines, StandardCharsets.UTF_8);
        System.out.println("[monitoring] the listing is in " + work.resolve("queries.md"));
    }

    private static int series(String expr) throws Exception {
        HttpResponse<String> r = query(expr);
        assertThat(r.statusCode()).as("query " + expr + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body()).path("data").path("result").size();
    }

    /**
     * Slows the stand-in's first token to 2 s and asks until an answer skips the primary's open circuit: the first
     * answers wait for the primary's first token (twice the SLO) and then come from the extractive tier.
     */
    private static void degradePrimaryTier() throws Exception {
        llm.setFirstTokenDelay(Duration.ofSeconds(2));
        String token = token("dave");
        List<String> questions = List.of("How many days of paid annual leave does a full-time employee get?",
                "How much notice do I need to give for a week of annual leave?",
                "What class of travel is booked for short flights?",
                "How long can I self-certify a sickness absence?",
                "How many days of annual leave can be carried over?");
        List<JsonNode> degraded = new ArrayList<>();
        boolean circuitOpen = false;
        for (int i = 0; i < 30 && !circuitOpen; i++) {
            HttpResponse<String> r = post(stack.url("gateway").resolve("/api/v1/answers"),
                    json.writeValueAsString(Map.of("question", questions.get(i % questions.size()), "cache", false)),
                    Map.of("Authorization", "Bearer " + token));
            assertThat(r.statusCode()).as("an answer while the primary is slow: " + r.body()).isEqualTo(200);
            JsonNode a = json.readTree(r.body());
            System.out.println("[monitoring] slow primary, answer " + (i + 1) + ": tier " + a.path("tier").asString()
                    + ", reason " + a.path("reason").asString() + ", degraded from "
                    + a.path("degraded").path("from").asString("-") + ", " + a.path("timings").path("total").asLong()
                    + " ms");
            if (!a.path("tier").asString().equals("none")) {
                degraded.add(a);
                circuitOpen = a.path("reason").asString().equals("circuit_open");
            }
        }
        assertThat(degraded).as("answers while the primary is slow").isNotEmpty().allSatisfy(a -> {
            assertThat(a.path("tier").asString()).isEqualTo("extractive");
            assertThat(a.path("degraded").path("from").asString()).isEqualTo("primary");
        });
        assertThat(degraded).extracting(a -> a.path("reason").asString())
                .as("first the slow primary was waited for, then its circuit opened").contains("slow", "circuit_open");
    }

    /** Ingestion (indexed and dead-lettered documents), searches, refused calls and questions through the gateway. */
    private static void driveTraffic() throws Exception {
        List<DocumentEvent> events = new ArrayList<>(SampleKnowledgeBase.under(root).events());
        String tenant = events.getFirst().tenant();
        // Two that fail for good: a PDF that is not one (parse), a document with no text (chunk).
        events.add(DocumentEvent.upsert(tenant, "monitoring/not-a.pdf", 1, "Broken", "application/pdf",
                List.of("public"), null, Content.ofBytes("%PDF-1.7 this is not a pdf".getBytes(StandardCharsets.UTF_8))));
        events.add(DocumentEvent.upsert(tenant, "monitoring/blank.txt", 1, "Blank", "text/plain",
                List.of("public"), null, Content.ofText("   \n\n   ")));
        Ingestion.Result result = new Ingestion(stack.bootstrapServers())
                .publishAndFollow(events, Duration.ofMinutes(4), outcomes -> { });
        System.out.println("[monitoring] ingested " + result.total() + " documents, failed: " + result.failed().size()
                + ", pending: " + result.pending().size());

        URI gateway = stack.url("gateway");
        String token = token("alice");
        java.util.concurrent.atomic.AtomicBoolean firstPrimary = new java.util.concurrent.atomic.AtomicBoolean();
        for (String q : List.of("annual leave carry over", "travel expenses economy class", "salary band G5",
                "board summary revenue", "未休年假最多可以结转多少天？", "expense report deadline")) {
            for (int i = 0; i < 3; i++) {
                post(gateway.resolve("/api/v1/search"), json.writeValueAsString(Map.of("query", q, "topK", 5)),
                        Map.of("Authorization", "Bearer " + token));
            }
        }
        for (int i = 0; i < 5; i++) {
            post(gateway.resolve("/api/v1/search"), "{\"query\":\"x\"}", Map.of());
        }
        // Questions: answered ones (the second time from the cache), one outside the documents (a refusal), and
        // a rating of an answer, so that the answer, cache, quality and feedback meters all have series.
        // The stand-in model is fast now: the primary tier answers, and its quote keeps its citation.
        for (String q : List.of("How many days of annual leave can I carry over?",
                "How many days of annual leave can I carry over?", "What is the capital of Peru?",
                "未休的年假最多可以结转几天？")) {
            HttpResponse<String> answer = post(gateway.resolve("/api/v1/answers"),
                    json.writeValueAsString(Map.of("question", q)), Map.of("Authorization", "Bearer " + token));
            System.out.println("[monitoring] a question through the gateway: HTTP " + answer.statusCode());
            if (q.startsWith("How many") && answer.statusCode() == 200 && firstPrimary.compareAndSet(false, true)) {
                JsonNode a = json.readTree(answer.body());
                System.out.println("[monitoring] answered by " + a.path("tier").asString() + ": "
                        + a.path("answer").asString());
                assertThat(a.path("tier").asString()).as("the primary tier on the fast stand-in").isEqualTo("primary");
                assertThat(a.path("dontKnow").asBoolean()).isFalse();
                assertThat(a.path("citations")).as("citations kept by the citation check").isNotEmpty();
            }
            if (answer.statusCode() == 200) {
                String id = json.readTree(answer.body()).path("id").asString();
                post(gateway.resolve("/api/v1/answers/" + id + "/feedback"), "{\"rating\":\"up\"}",
                        Map.of("Authorization", "Bearer " + token));
            }
        }
    }

    /** prometheus-local.yml with the stack's ports, 1 s scrapes and evaluations, and absolute rule paths. */
    static String localConfigFor(StackPorts ports) throws IOException {
        Path monitoring = root.resolve("monitoring");
        String config = Files.readString(monitoring.resolve("prometheus/prometheus-local.yml"));
        StackPorts defaults = StackPorts.defaults();
        Map<Integer, Integer> portMap = new LinkedHashMap<>();
        portMap.put(defaults.gateway(), ports.gateway());
        portMap.put(defaults.inference(), ports.inference());
        portMap.put(defaults.retrieval(), ports.retrieval());
        portMap.put(defaults.embedding(), ports.embedding());
        portMap.put(defaults.ingest(), ports.ingest());
        for (Map.Entry<Integer, Integer> e : portMap.entrySet()) {
            String from = "127.0.0.1:" + e.getKey() + "\"";
            assertThat(config).as("prometheus-local.yml scrapes " + from).contains(from);
            config = config.replace(from, "127.0.0.1:" + e.getValue() + "\"");
        }
        return config.replaceAll("scrape_interval: \\S+", "scrape_interval: 1s")
                .replaceAll("scrape_timeout: \\S+", "scrape_timeout: 1s")
                .replaceAll("evaluation_interval: \\S+", "evaluation_interval: 1s")
                .replace("../rules/", monitoring.resolve("rules") + "/");
    }

    private static void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(prometheus.isAlive()).as("prometheus is running; see e2e-tests/target/monitoring-live/prometheus.log").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(prometheusUrl.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("prometheus was not ready within 60 s");
    }

    private static HttpResponse<String> query(String expr) throws Exception {
        String form = "query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(prometheusUrl.resolve("/api/v1/query"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode getJson(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(prometheusUrl.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return json.readTree(r.body());
    }

    private static String token(String user) throws Exception {
        HttpResponse<String> r = post(stack.url("gateway").resolve("/auth/token"),
                "{\"username\":\"" + user + "\",\"password\":\"demo\"}", Map.of());
        assertThat(r.statusCode()).as("login of " + user).isEqualTo(200);
        return json.readTree(r.body()).path("access_token").asString();
    }

    private static HttpResponse<String> post(URI uri, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
