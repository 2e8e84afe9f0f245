package io.kb.cli.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One Spring Boot service of the local stack: the module whose packaged jar runs, its port, its heap, and
 * the arguments that wire it to the broker and to its peers.
 *
 * @param name        the service's name, also its Maven module and its log file's name
 * @param port        the HTTP port it listens on
 * @param initialHeap the heap the JVM starts with, as a JVM size ({@code 64m})
 * @param heap        the maximum heap, as a JVM size ({@code 512m})
 * @param jvmOptions  options of the JVM beyond the heap
 * @param args        Spring arguments beyond the port and profile
 */
public record ServiceSpec(String name, int port, String initialHeap, String heap, List<String> jvmOptions,
        List<String> args) {

    /** What a service starts with when its heap may grow as it needs. */
    private static final String SMALL_START = "64m";

    /**
     * Lucene computes vector similarities with the JDK's Vector API (SIMD) only when its incubator module is
     * readable; without it, building and searching the HNSW graph runs on plain loops, several times slower.
     */
    private static final List<String> VECTOR_API = List.of("--add-modules", "jdk.incubator.vector");

    public ServiceSpec {
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
    }

    /**
     * The five services, in the order they are started, wired to each other, to the broker and to the gateway's
     * local token issuer, with their data, keys and logs under the stack's home.
     */
    public static List<ServiceSpec> all(StackPorts ports, Path home) {
        String kafka = "--spring.kafka.bootstrap-servers=127.0.0.1:" + ports.kafka();
        String embedding = "http://127.0.0.1:" + ports.embedding();
        String issuer = "http://127.0.0.1:" + ports.gateway();
        List<String> tokens = List.of(
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + issuer + "/.well-known/jwks.json",
                "--kb.security.issuer=" + issuer);
        return List.of(
                new ServiceSpec("embedding-service", ports.embedding(), SMALL_START, "768m", List.of(), tokens),
                new ServiceSpec("retrieval-service", ports.retrieval(), SMALL_START, "768m", VECTOR_API, concat(tokens, kafka,
                        "--kb.data-dir=" + home.resolve("data"),
                        "--kb.retrieval.search.embedding-url=" + embedding)),
                new ServiceSpec("ingest-service", ports.ingest(), SMALL_START, "768m", List.of(), concat(tokens, kafka,
                        "--kb.data-dir=" + home.resolve("data"),
                        "--kb.ingest.embedding.url=" + embedding)),
                new ServiceSpec("inference-service", ports.inference(), SMALL_START, "512m", List.of(), concat(tokens,
                        "--kb.inference.retrieval-url=http://127.0.0.1:" + ports.retrieval())),
                // The gateway starts at its full heap: from 64 MiB, G1 kept its ~30 MiB of live objects above the
                // threshold that starts concurrent marking, and ran a cycle every two seconds under load.
                new ServiceSpec("gateway", ports.gateway(), "384m", "384m", List.of(), List.of(
                        "--kb.gateway.upstreams.ingest=http://127.0.0.1:" + ports.ingest(),
                        "--kb.gateway.upstreams.retrieval=http://127.0.0.1:" + ports.retrieval(),
                        "--kb.gateway.upstreams.inference=http://127.0.0.1:" + ports.inference(),
                        "--kb.gateway.local-issuer.issuer=" + issuer,
                        "--kb.gateway.local-issuer.key-file=" + home.resolve("keys/local-issuer.jwk.json"))));
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    /**
     * The same service with more Spring arguments: an argument whose key ({@code --key=}) the spec already has
     * replaces it, since Spring would join two values of one key with a comma; the others are appended.
     *
     * @param extra arguments of the form {@code --key=value}
     * @throws IllegalArgumentException if one is not of that form
     */
    public ServiceSpec withArgs(List<String> extra) {
        List<String> merged = new ArrayList<>(args);
        for (String arg : extra) {
            String key = key(arg);
            merged.removeIf(a -> key(a).equals(key));
            merged.add(arg);
        }
        return new ServiceSpec(name, port, initialHeap, heap, jvmOptions, merged);
    }

    /** The same service under another name (its log file and process marker) on another port. */
    public ServiceSpec renamed(String newName, int newPort) {
        return new ServiceSpec(newName, newPort, initialHeap, heap, jvmOptions, args);
    }

    /** {@code --key} of {@code --key=value}. */
    static String key(String arg) {
        int eq = arg.indexOf('=');
        if (!arg.startsWith("--") || eq < 3) {
            throw new IllegalArgumentException("a Spring argument must look like --key=value, was " + arg);
        }
        return arg.substring(0, eq);
    }

    /** The full command line, run with the given java binary. */
    public List<String> command(String java, Path jar) {
        List<String> cmd = new ArrayList<>(List.of(java,
                "-Xms" + initialHeap, "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8",
                "-D" + ManagedProcess.MARKER_PROPERTY + "=" + name));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", jar.toString(),
                "--spring.profiles.active=local",
                "--server.port=" + port));
        cmd.addAll(args);
        return cmd;
    }
}
