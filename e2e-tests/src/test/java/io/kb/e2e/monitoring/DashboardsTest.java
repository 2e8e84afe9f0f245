package io.kb.e2e.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboards are complete: the five the operations guide names exist, every panel queries the
 * datasource variable, has a unit, a description and queries, uses only variables the live check knows, and
 * draws the threshold of the alert its description names. Whether each query parses and has data is
 * {@link MonitoringLiveIT}'s job (Prometheus is the only PromQL parser at hand).
 */
class DashboardsTest {

    private static final Pattern ALERT = Pattern.compile("(?m)^\\s*- alert: (\\w+)\\n((?:(?!^\\s*- alert:).*\\n?)*)");
    /** A comparison with a constant in PromQL: {@code > 0.5}, {@code >= 1}, {@code < 1}. */
    private static final Pattern COMPARISON = Pattern.compile("[<>=]=?\\s*(\\d+(?:\\.\\d+)?)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?\\w+");

    private static Path monitoring;
    private static List<Dashboards.Panel> panels;

    @BeforeAll
    static void read() throws Exception {
        monitoring = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize().resolve("monitoring");
        panels = Dashboards.panels(monitoring.resolve("grafana/dashboards"));
    }

    @Test
    void theFiveDashboardsExistWithUniqueUidsAndADatasourceVariable() throws Exception {
        Map<String, JsonNode> boards = Dashboards.read(monitoring.resolve("grafana/dashboards"));
        assertThat(boards.keySet()).containsExactlyInAnyOrder(
                "overview.json", "inference.json", "retrieval.json", "ingestion.json", "gateway.json");
        assertThat(boards.values().stream().map(b -> b.path("uid").asString()).distinct()).hasSize(5);
        boards.forEach((file, board) -> {
            List<String> variables = new ArrayList<>();
            board.path("templating").path("list").forEach(v -> variables.add(v.path("name").asString()
                    + ":" + v.path("type").asString()));
            assertThat(variables).as(file).contains("datasource:datasource");
        });
    }

    @Test
    void everyPanelHasTheDatasourceVariableAUnitADescriptionAndQueries() {
        List<String> problems = new ArrayList<>();
        for (Dashboards.Panel panel : panels) {
            JsonNode p = panel.node();
            if (!"${datasource}".equals(p.path("datasource").path("uid").asString())) {
                problems.add(panel + ": datasource is not ${datasource}");
            }
            if (p.path("fieldConfig").path("defaults").path("unit").asString("").isBlank()) {
                problems.add(panel + ": no unit");
            }
            if (p.path("description").asString("").isBlank()) {
                problems.add(panel + ": no description");
            }
            if (p.path("targets").isEmpty()) {
                problems.add(panel + ": no targets");
            }
            p.path("targets").forEach(t -> {
                String expr = t.path("expr").asString("");
                if (expr.isBlank()) {
                    problems.add(panel + " " + t.path("refId").asString() + ": empty expr");
                }
                if (!"${datasource}".equals(t.path("datasource").path("uid").asString())) {
                    problems.add(panel + " " + t.path("refId").asString() + ": datasource is not ${datasource}");
                }
                Matcher m = VARIABLE.matcher(Dashboards.substitute(expr));
                while (m.find()) {
                    problems.add(panel + ": variable " + m.group() + " that the live check cannot substitute");
                }
            });
        }
        assertThat(problems).as("panels that are incomplete").isEmpty();
        assertThat(panels).hasSizeGreaterThan(40);
    }

    @Test
    void panelsNamingAnAlertDrawItsThreshold() throws Exception {
        Map<String, List<Double>> thresholds = alertThresholds();
        assertThat(thresholds).containsKeys("KbHighErrorRatio", "KbAnswerTimeToFirstTokenOverSlo",
                "KbEmbeddingQueueSaturated", "KbTritonQueueTimeHigh", "KbAnswerLatencyOverSlo");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Dashboards.Panel panel : panels) {
            String description = panel.node().path("description").asString();
            for (Map.Entry<String, List<Double>> alert : thresholds.entrySet()) {
                if (!description.contains(alert.getKey())) {
                    continue;
                }
                List<Double> steps = new ArrayList<>();
                panel.node().path("fieldConfig").path("defaults").path("thresholds").path("steps")
                        .forEach(s -> { if (s.path("value").isNumber()) { steps.add(s.path("value").asDouble()); } });
                if (steps.stream().noneMatch(alert.getValue()::contains)) {
                    problems.add(panel + " names " + alert.getKey() + " (threshold " + alert.getValue()
                            + ") but draws " + steps);
                }
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).as("panels that name an alert").isGreaterThanOrEqualTo(6);
    }

    @Test
    void onlyQueriesOverClusterExportersMayBeEmptyLocally() {
        assertThat(Dashboards.readsOnlyClusterMetrics("max by (instance, gpu_uuid) (nv_gpu_utilization)")).isTrue();
        assertThat(Dashboards.readsOnlyClusterMetrics("model:nv_inference_queue_duration_seconds:avg_rate5m")).isTrue();
        assertThat(Dashboards.readsOnlyClusterMetrics("consumergroup_topic:kafka_consumergroup_lag:sum")).isTrue();
        assertThat(Dashboards.readsOnlyClusterMetrics(
                "sum by (model) (rate(nv_inference_count[5m])) / sum by (model) (rate(nv_inference_exec_count[5m]))"))
                .isTrue();
        assertThat(Dashboards.readsOnlyClusterMetrics("application_client:kafka_consumer_fetch_manager_records_lag:max"))
                .isFalse();
        assertThat(Dashboards.readsOnlyClusterMetrics("max(kb_inference_degradation_level)")).isFalse();
        assertThat(Dashboards.readsOnlyClusterMetrics("nv_gpu_utilization / on (instance) kb_inference_tokens_total"))
                .isFalse();
        List<String> exempt = panels.stream()
                .filter(p -> p.expressions().stream().allMatch(Dashboards::readsOnlyClusterMetrics))
                .map(Dashboards.Panel::title).toList();
        assertThat(exempt).containsExactlyInAnyOrder("Triton queue time", "Triton batch size", "GPU utilisation",
                "GPU memory used");
    }

    /** The numbers each alert's expression compares with, from monitoring/rules/alerts.yml. */
    private static Map<String, List<Double>> alertThresholds() throws Exception {
        String yaml = Files.readString(monitoring.resolve("rules/alerts.yml"));
        Map<String, List<Double>> out = new LinkedHashMap<>();
        Matcher alert = ALERT.matcher(yaml);
        while (alert.find()) {
            String body = alert.group(2);
            String expr = body.substring(body.indexOf("expr:"), body.indexOf("labels:"));
            List<Double> numbers = new ArrayList<>();
            Matcher n = COMPARISON.matcher(expr);
            while (n.find()) {
                numbers.add(Double.parseDouble(n.group(1)));
            }
            out.put(alert.group(1), numbers);
        }
        return out;
    }
}
