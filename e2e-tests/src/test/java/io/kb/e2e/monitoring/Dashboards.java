package io.kb.e2e.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** A panel's query as Prometheus can run it: the dashboards' variables replaced by their values. */
    static String substitute(String expr) {
        String out = expr;
        for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
            out = out.replace(v.getKey(), v.getValue());
        }
        return out;
    }
}
