package io.kb.cli.stack;

import java.nio.file.Path;
import java.time.Duration;

/** A real Kafka broker process for tests, started the way kb up starts it, on free ports in a home of its own. */
public final class TestBroker implements AutoCloseable {

    private final ManagedProcess process;
    private final KafkaBroker broker;

    public TestBroker(Path home) {
        Path root = Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize();
        String java = ProcessHandle.current().info().command().orElse("java");
        this.broker = new KafkaBroker(home, StackPorts.ephemeral(), java, root.resolve("kb-cli/target/kb-cli.jar"));
        this.process = broker.start(home.resolve("logs"));
        broker.awaitReadyAndCreateTopics(process, Duration.ofMinutes(2));
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        process.stop();
    }
}
