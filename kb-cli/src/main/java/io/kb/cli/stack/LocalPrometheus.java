package io.kb.cli.stack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Prometheus beside the local stack ({@code kb up --with-prometheus}): the {@code prometheus} binary found on the
 * PATH, run on loopback with {@code monitoring/prometheus/prometheus-local.yml} (which loads the rule files) and
 * its data under the stack's home. It becomes a process of the stack, so {@code kb down} stops it with the rest.
 */
public final class LocalPrometheus {

    /** Where it listens, as prometheus-local.yml's comments and the Grafana datasource say. */
    public static final int PORT = 9090;

    /** How to get the binary, for the message shown when it is missing. */
    public static final String HOW_TO_INSTALL = "sudo apt-get install prometheus (Debian/Ubuntu), or unpack a "
            + "release from https://prometheus.io/download/ and put prometheus on the PATH";

    private LocalPrometheus() {
    }

    /** The {@code prometheus} executable on the PATH. */
    public static Optional<Path> binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank() && Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Optional.of(Path.of(dir, "prometheus"));
            }
        }
        return Optional.empty();
    }

    /**
     * Starts Prometheus for a running stack and records it in the stack's state.
     *
     * @param stack  the running stack, on the default ports that prometheus-local.yml scrapes
     * @param root   the project's root (where {@code monitoring/} is)
     * @param binary the prometheus executable
     * @return the started process
     * @throws StackException if the port is taken, the configuration is missing or the stack is not running
     */
    public static ManagedProcess start(LocalStack stack, Path root, Path binary) {
        Path config = root.resolve("monitoring/prometheus/prometheus-local.yml").toAbsolutePath();
        if (!Files.isRegularFile(config)) {
            throw new StackException("no " + config + " to start Prometheus with");
        }
        if (!StackPorts.isFree(PORT)) {
            throw new StackException("port " + PORT + " is in use; Prometheus was not started (ss -ltnp shows by what)");
        }
        Path home = stack.home();
        List<String> command = List.of(binary.toString(),
                "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + PORT,
                "--storage.tsdb.path=" + home.resolve("prometheus"),
                "--storage.tsdb.retention.time=7d",
                "--web.enable-lifecycle");
        ManagedProcess process = ManagedProcess.start("prometheus", PORT, command, root,
                home.resolve("logs/prometheus.log"));
        stack.adopt(process);
        return process;
    }

    /** What to tell the user about Grafana once Prometheus runs. */
    public static List<String> grafanaHowTo(Path root) {
        Path dashboards = root.resolve("monitoring/grafana/dashboards").toAbsolutePath().normalize();
        Path provisioning = root.resolve("monitoring/grafana/provisioning").toAbsolutePath().normalize();
        return List.of(
                "Prometheus             http://127.0.0.1:" + PORT + " (rules and alerts under /rules and /alerts)",
                "Grafana dashboards: in a Grafana (12 or newer), add a Prometheus datasource with URL",
                "  http://127.0.0.1:" + PORT + ", then Dashboards > New > Import and upload each file of",
                "  " + dashboards + " (overview, inference, retrieval, ingestion, gateway),",
                "  or provision them: PROMETHEUS_URL=http://127.0.0.1:" + PORT + " with the files of",
                "  " + provisioning + " (see monitoring/README.md).");
    }
}
