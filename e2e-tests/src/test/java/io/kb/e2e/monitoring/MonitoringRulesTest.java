package io.kb.e2e.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus files of {@code monitoring/} as promtool sees them: both scrape configurations load (with their
 * rule files), the rules are valid, and the rules' unit tests in {@code monitoring/rules/tests/} pass.
 */
class MonitoringRulesTest {

    private static Path monitoring;
    private static Path promtool;

    @BeforeAll
    static void locate() {
        monitoring = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize().resolve("monitoring");
        promtool = Promtool.find("promtool").orElse(null);
    }

    @Test
    void bothScrapeConfigurationsAreValid() throws Exception {
        requirePromtool();
        expectSuccess(List.of("check", "config", "prometheus/prometheus.yml", "prometheus/prometheus-local.yml"));
    }

    @Test
    void recordingAndAlertRulesAreValid() throws Exception {
        requirePromtool();
        expectSuccess(List.of("check", "rules", "rules/recording.yml", "rules/alerts.yml"));
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        requirePromtool();
        List<String> tests;
        try (Stream<Path> files = Files.list(monitoring.resolve("rules/tests"))) {
            tests = files.filter(f -> f.toString().endsWith(".yml")).sorted()
                    .map(f -> monitoring.relativize(f).toString()).toList();
        }
        assertThat(tests).as("rule tests under monitoring/rules/tests").isNotEmpty();
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(tests);
        expectSuccess(args);
    }

    private static void requirePromtool() {
        assumeTrue(promtool != null, "promtool " + Promtool.HOW_TO_INSTALL);
    }

    private static void expectSuccess(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(args);
        Promtool.Run run = Promtool.run(monitoring, command);
        assertThat(run.exitCode()).as("promtool " + String.join(" ", args) + ":\n" + run.output()).isZero();
    }
}
