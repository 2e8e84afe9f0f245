package io.kb.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.kb.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Kafka broker in KRaft mode (broker and controller in one process), run from Kafka's own jars
 * as a separate process, with its data under the stack's home. The storage is formatted once, with a cluster
 * id kept beside it; later starts reuse both.
 */
final class KafkaBroker {

    /** Partitions of the data topics: enough for a few consumers of each service locally. */
    static final int PARTITIONS = 3;

    /** Largest chunk batch record (compressed), matching ingest-service's producer limit. */
    static final int MAX_CHUNK_BATCH_BYTES = 16 * 1024 * 1024;

    private final Path dir;
    private final StackPorts ports;
    private final String java;
    private final Path cliJar;

    /**
     * @param cliJar the kb command's jar: its manifest's {@code Class-Path} names exactly the jars of this build
     *               (Kafka's server among them), so stale jars left in {@code lib/} by older builds are never loaded
     */
    KafkaBroker(Path home, StackPorts ports, String java, Path cliJar) {
        this.dir = home.resolve("kafka");
        this.ports = ports;
        this.java = java;
        this.cliJar = cliJar;
    }

    /** Writes the configuration, formats the storage if needed and starts the broker process. */
    ManagedProcess start(Path logDir) {
        Path properties = writeConfiguration();
        Path log = logDir.resolve("kafka.log");
        format(properties, log);
        return ManagedProcess.start("kafka", ports.kafka(), command("kafka.Kafka", properties.toString()), dir, log);
    }

    /** Waits until the broker answers, then creates the platform's topics that are missing. */
    void awaitReadyAndCreateTopics(ManagedProcess broker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!broker.isAlive()) {
                throw new StackException("the Kafka broker exited during start; its log ends with:\n  "
                        + String.join("\n  ", broker.tail(30)));
            }
            try (Admin admin = admin(bootstrapServers())) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                createTopics(admin);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = new StackException("broker not ready: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for Kafka", e);
            }
            sleep(250);
        }
        throw new StackException("the Kafka broker did not become ready within " + timeout.toSeconds() + " s", last);
    }

    String bootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    static Admin admin(String bootstrapServers) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    /** The topics of the ingestion contract, with the settings the local stack uses for each. */
    static List<NewTopic> topics() {
        List<NewTopic> topics = new ArrayList<>();
        for (String name : Topics.ALL) {
            NewTopic topic = new NewTopic(name, PARTITIONS, (short) 1);
            if (name.equals(Topics.INGEST_STATUS)) {
                // The latest state per document is what readers need; compaction keeps it forever and bounds the rest.
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            } else if (name.equals(Topics.CHUNKS)) {
                // One batch per document version, vectors included: a long document needs more than the 1 MB default.
                topic.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_CHUNK_BATCH_BYTES)));
            }
            topics.add(topic);
        }
        return topics;
    }

    private static void createTopics(Admin admin) throws ExecutionException, InterruptedException,
            java.util.concurrent.TimeoutException {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = topics().stream().filter(t -> !existing.contains(t.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private Path writeConfiguration() {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path properties = dir.resolve("server.properties");
            String listeners = "PLAINTEXT://127.0.0.1:" + ports.kafka() + ",CONTROLLER://127.0.0.1:" + ports.controller();
            Files.writeString(properties, String.join("\n",
                    "# Written by kb at every start; edit StackPorts or KafkaBroker instead.",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + ports.controller(),
                    "listeners=" + listeners,
                    "advertised.listeners=" + listeners,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("data"),
                    "num.partitions=" + PARTITIONS,
                    "auto.create.topics.enable=false",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "log.retention.hours=168",
                    "message.max.bytes=" + MAX_CHUNK_BATCH_BYTES,
                    ""));
            Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                    "status = warn",
                    "appender.out.type = Console",
                    "appender.out.name = out",
                    "appender.out.layout.type = PatternLayout",
                    "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                    "rootLogger.level = info",
                    "rootLogger.appenderRef.out.ref = out",
                    "logger.state.name = state.change.logger",
                    "logger.state.level = warn",
                    ""));
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kafka configuration under " + dir, e);
        }
    }

    private void format(Path properties, Path log) {
        String clusterId = clusterId();
        List<String> cmd = command("kafka.tools.StorageTool", "format", "--standalone", "--ignore-formatted",
                "-t", clusterId, "-c", properties.toString());
        try {
            Files.createDirectories(log.getParent());
            Path formatLog = log.resolveSibling("kafka-format.log");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(formatLog.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StackException("formatting Kafka's storage did not finish in 120 s; see " + formatLog);
            }
            if (p.exitValue() != 0) {
                throw new StackException("formatting Kafka's storage failed (exit " + p.exitValue() + "):\n  "
                        + Files.readAllLines(formatLog).stream().collect(Collectors.joining("\n  ")));
            }
        } catch (IOException e) {
            throw new StackException("cannot run Kafka's StorageTool: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while formatting Kafka's storage", e);
        }
    }

    private String clusterId() {
        Path file = dir.resolve("cluster.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            String id = Uuid.randomUuid().toString();
            Files.writeString(file, id + "\n");
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the Kafka cluster id in " + file, e);
        }
    }

    private List<String> command(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms128m", "-Xmx512m", "-XX:+ExitOnOutOfMemoryError",
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-D" + ManagedProcess.MARKER_PROPERTY + "=kafka",
                "-cp", cliJar.toAbsolutePath().toString(), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
