package io.kb.e2e.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboards of {@code monitoring/grafana/dashboards/}, read as JSON. */
final class Dashboards {

    /**
     * What the Grafana variables of the dashboards stand for when a query is sent to Prometheus directly:
     * {@code $__rate_interval} as Grafana computes it for a 15 s scrape, {@code $tenant} as "All".
     */
    static final Map<String, String> VARIABLES = Map.of("$__rate_interval", "1m", "$tenant", ".*");

    /** Metrics of exporters that only a cluster runs (Triton, Kafka exporter, Milvus), raw or recorded. */
    private static final Pattern CLUSTER_ONLY = Pattern.compile("(\\w+:)?(nv_|kafka_consumergroup_|milvus_)[\\w:]*");
    /** Quoted strings, label matchers, range selectors and grouping clauses: nothing in them names a metric. */
    private static final Pattern NOT_METRICS = Pattern.compile(
            "\"[^\"]*\"|\\{[^}]*}|\\[[^]]*]|\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    private static final JsonMapper json = JsonMapper.builder().build();

    private Dashboards() {
    }

    /** One panel of one dashboard. */
    record Panel(String dashboard, JsonNode node) {

        String title() {
            return node.path("title").asString();
        }

        /** The PromQL of each target, Grafana variables left in. */
        List<String> expressions() {
            List<String> exprs = new ArrayList<>();
            node.path("targets").forEach(t -> exprs.add(t.path("expr").asString()));
            return exprs;
        }

        @Override
        public String toString() {
            return dashboard + " / " + title();
        }
    }

    /** Every file's parsed JSON, by file name. */
    static Map<String, JsonNode> read(Path folder) throws IOException {
        Map<String, JsonNode> boards = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                boards.put(f.getFileName().toString(), json.readTree(Files.readString(f)));
            }
        }
        return boards;
    }

    /** Every panel that shows data (rows left out), of every dashboard in the folder. */
    static List<Panel> panels(Path folder) throws IOException {
        List<Panel> panels = new ArrayList<>();
        read(folder).forEach((file, board) -> board.path("panels").forEach(p -> {
            if (!"row".equals(p.path("type").asString())) {
                panels.add(new Panel(board.path("title").asString(), p));
            }
        }));
        return panels;
    }

    /**
     * True when every metric a query reads comes from an exporter that only a cluster runs, so that it may be empty
     * on the local stack. Function names (followed by a parenthesis) and numbers are not metrics.
     */
    static boolean readsOnlyClusterMetrics(String expr) {
        String stripped = NOT_METRICS.matcher(expr).replaceAll(" ");
        Matcher m = IDENTIFIER.matcher(stripped);
        boolean any = false;
        while (m.find()) {
            String name = m.group();
            if (!name.contains("_") || name.equals("__name__")) {
                continue;
            }
            any = true;
            if (!CLUSTER_ONLY.matcher(name).matches()) {
                return false;
            }
        }
        return any;
    }

    /** A panel's query as Prometheus can run it: the dashboards' variables replaced by their values. */
    static String substitute(String expr) {
        String out = expr;
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }
}
