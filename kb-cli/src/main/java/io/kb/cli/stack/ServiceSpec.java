package io.kb.cli.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Spring Boot service of the local stack: the module whose packaged jar runs, its port, its heap, and
 * the arguments that wire it to the broker and to its peers.
 *
 * @param name   the service's name, also its Maven module and its log file's name
 * @param port   the HTTP port it listens on
 * @param heap   the maximum heap, as a JVM size ({@code 512m})
 * @param args   Spring arguments beyond the port and profile
 */
public record ServiceSpec(String name, int port, String heap, List<String> args) {

    /** The five services, in the order they are started. */
    public static List<ServiceSpec> all(StackPorts ports) {
        return List.of(
                new ServiceSpec("embedding-service", ports.embedding(), "768m", List.of()),
                new ServiceSpec("retrieval-service", ports.retrieval(), "768m", List.of()),
                new ServiceSpec("ingest-service", ports.ingest(), "768m", List.of(
                        "--spring.kafka.bootstrap-servers=127.0.0.1:" + ports.kafka(),
                        "--kb.ingest.embedding.url=http://127.0.0.1:" + ports.embedding())),
                new ServiceSpec("inference-service", ports.inference(), "512m", List.of()),
                new ServiceSpec("gateway", ports.gateway(), "384m", List.of(
                        "--kb.gateway.upstreams.ingest=http://127.0.0.1:" + ports.ingest(),
                        "--kb.gateway.upstreams.retrieval=http://127.0.0.1:" + ports.retrieval(),
                        "--kb.gateway.upstreams.inference=http://127.0.0.1:" + ports.inference())));
    }

    /** The full command line, run with the given java binary. */
    public List<String> command(String java, Path jar) {
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Xms64m", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
                "-D" + ManagedProcess.MARKER_PROPERTY + "=" + name,
                "-jar", jar.toString(),
                "--spring.profiles.active=local",
                "--server.port=" + port));
        cmd.addAll(args);
        return cmd;
    }
}
