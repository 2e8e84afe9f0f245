package io.kb.cli.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;

/**
 * The whole platform on one machine: a Kafka broker and the five services, each a separate process started
 * from the packaged jars of a build, with state, data and logs under one home folder ({@code .kb/} for
 * {@code kb up}). {@code kb up} and the end-to-end tests start it the same way.
 */
public final class LocalStack {

    private static final Pattern HEALTH_STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private final Path root;
    private final Path home;
    private final StackPorts ports;
    private final String java;
    /** Spring arguments beyond each service's defaults, by service name. */
    private final Map<String, List<String>> serviceArgs;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** What this instance launched, so that an interrupted start stops exactly that and nothing else. */
    private final List<ManagedProcess> launched = new CopyOnWriteArrayList<>();
    private volatile boolean aborted;

    /**
     * @param root  the project's root folder (where the modules' {@code target/} folders are)
     * @param home  where state, data and logs go
     * @param ports the ports to use
     */
    public LocalStack(Path root, Path home, StackPorts ports) {
        this(root, home, ports, Map.of());
    }

    private LocalStack(Path root, Path home, StackPorts ports, Map<String, List<String>> serviceArgs) {
        this.root = root.toAbsolutePath().normalize();
        this.home = home.toAbsolutePath().normalize();
        this.ports = ports;
        this.java = ProcessHandle.current().info().command().orElse("java");
        this.serviceArgs = Map.copyOf(serviceArgs);
    }

    /**
     * The same stack with more Spring arguments for one service, such as generator tiers for inference-service.
     * An argument whose key the service already gets from the stack replaces it. Arguments land in the state file
     * and the process list, so a secret must be given as a {@code ${ENV_VAR}} placeholder, which the service
     * resolves from the environment it inherits.
     *
     * @param service a service of the stack ({@code inference-service}, ...)
     * @param args    arguments of the form {@code --key=value}
     * @return a stack that starts that service with them, after any given before
     * @throws IllegalArgumentException for an unknown service or an argument not of that form
     */
    public LocalStack withServiceArgs(String service, List<String> args) {
        if (ServiceSpec.all(ports, home).stream().noneMatch(s -> s.name().equals(service))) {
            throw new IllegalArgumentException("no service named " + service + "; one of "
                    + ServiceSpec.all(ports, home).stream().map(ServiceSpec::name).toList());
        }
        args.forEach(ServiceSpec::key);
        Map<String, List<String>> next = new LinkedHashMap<>(serviceArgs);
        List<String> merged = new ArrayList<>(next.getOrDefault(service, List.of()));
        merged.addAll(args);
        next.put(service, List.copyOf(merged));
        return new LocalStack(root, home, ports, next);
    }

    /** The services with the extra arguments of this stack, or of a running one's state. */
    private List<ServiceSpec> specs(Map<String, List<String>> extra) {
        return ServiceSpec.all(ports, home).stream()
                .map(s -> s.withArgs(extra.getOrDefault(s.name(), List.of())))
                .toList();
    }

    public StackPorts ports() {
        return ports;
    }

    public Path home() {
        return home;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + ports.kafka();
    }

    /** Base URL of a service of this stack, by its name ({@code gateway}, {@code ingest-service}, ...). */
    public URI url(String service) {
        Integer port = ports.byName().get(service);
        if (port == null || service.startsWith("kafka")) {
            throw new IllegalArgumentException("no HTTP service named " + service);
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The state of a stack started from this home that still has a live process. */
    public Optional<StackState> running() {
        return StackState.read(home).filter(StackState::anyAlive);
    }

    /**
     * Starts the broker and the services and returns once every one is ready.
     *
     * @throws AlreadyRunningException if a stack from this home is already running
     * @throws StackException          if something could not start; whatever did start is stopped again
     */
    public StackState start(StackListener listener, Duration timeout) {
        try (FileChannel ignored = lock()) {
            Optional<StackState> previous = running();
            if (previous.isPresent()) {
                throw new AlreadyRunningException(previous.get());
            }
            Map<ServiceSpec, Path> jars = copyForRun(locateJars());
            requireFreePorts();
            return startAll(jars, listener, timeout);
        } catch (IOException e) {
            throw new StackException("cannot lock " + home.resolve("stack.lock") + ": " + e.getMessage(), e);
        }
    }

    private StackState startAll(Map<ServiceSpec, Path> jars, StackListener listener, Duration timeout) {
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        Path logs = home.resolve("logs");
        StackState state = new StackState(Instant.now(), ports, List.of(), serviceArgs);
        try {
            KafkaBroker broker = new KafkaBroker(home, ports, java, root.resolve("kb-cli/target/kb-cli.jar"));
            listener.starting("kafka");
            ManagedProcess kafka = launch(() -> broker.start(logs));
            state = state.with(kafka);
            state.write(home);
            // The services start while the broker comes up; their Kafka clients connect once it is there.
            Map<String, ManagedProcess> pending = new LinkedHashMap<>();
            for (Map.Entry<ServiceSpec, Path> e : jars.entrySet()) {
                ServiceSpec spec = e.getKey();
                listener.starting(spec.name());
                ManagedProcess p = launch(() -> ManagedProcess.start(spec.name(), spec.port(),
                        spec.command(java, e.getValue()), root, logs.resolve(spec.name() + ".log")));
                state = state.with(p);
                state.write(home);
                pending.put(spec.name(), p);
            }
            broker.awaitReadyAndCreateTopics(kafka, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            listener.ready("kafka", Duration.ofNanos(System.nanoTime() - t0));
            awaitServices(pending, listener, t0, deadline);
            return state;
        } catch (RuntimeException e) {
            stop(state, StackListener.SILENT);
            StackState.delete(home);
            throw e;
        }
    }

    private ManagedProcess launch(java.util.function.Supplier<ManagedProcess> start) {
        if (aborted) {
            throw new StackException("the start was interrupted");
        }
        ManagedProcess p = start.get();
        launched.add(p);
        return p;
    }

    /**
     * Stops what this instance has launched during a start that is still running (Ctrl-C while waiting for
     * readiness), and keeps it from launching more. A stack started by another {@code kb up} is left alone.
     */
    public void abortStart(StackListener listener) {
        aborted = true;
        if (!launched.isEmpty()) {
            stop(new StackState(Instant.now(), ports, List.copyOf(launched)), listener);
            StackState.delete(home);
        }
    }

    private void awaitServices(Map<String, ManagedProcess> pending, StackListener listener, long t0, long deadline) {
        long lastReport = 0;
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                ManagedProcess p = it.next().getValue();
                if (!p.isAlive()) {
                    throw new StackException(p.name() + " exited during start; the end of " + p.log() + ":\n  "
                            + String.join("\n  ", p.tail(40)));
                }
                if ("UP".equals(readiness(p.port()))) {
                    listener.ready(p.name(), Duration.ofNanos(System.nanoTime() - t0));
                    it.remove();
                }
            }
            long now = System.nanoTime();
            if (pending.isEmpty()) {
                return;
            }
            if (now > deadline) {
                throw new StackException("not ready in time: " + String.join(", ", pending.keySet())
                        + "; see the logs under " + home.resolve("logs"));
            }
            if (aborted) {
                throw new StackException("the start was interrupted");
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(1)) {
                listener.waiting(new LinkedHashSet<>(pending.keySet()), Duration.ofNanos(now - t0));
                lastReport = now;
            }
            sleep(200);
        }
    }

    /**
     * Records a process started beside the running stack (Prometheus), so that {@code kb status} shows it and
     * {@code kb down} stops it with the services.
     *
     * @throws StackException if no stack is running from this home
     */
    public void adopt(ManagedProcess process) {
        try (FileChannel ignored = lock()) {
            StackState state = running().orElseThrow(() -> new StackException("no stack is running in " + home));
            state.with(process).write(home);
        } catch (IOException e) {
            throw new StackException("cannot lock " + home.resolve("stack.lock") + ": " + e.getMessage(), e);
        }
    }

    /** Stops the stack started from this home, services first (gateway first), the broker last. */
    public void stop(StackListener listener) {
        Optional<StackState> state = StackState.read(home);
        state.ifPresent(s -> stop(s, listener));
        StackState.delete(home);
    }

    private static void stop(StackState state, StackListener listener) {
        List<ManagedProcess> reversed = new ArrayList<>(state.processes()).reversed();
        List<ManagedProcess> services = reversed.stream().filter(p -> !p.name().equals("kafka")).toList();
        // Services stop in parallel (each waits for its own graceful shutdown); Kafka only after all of them.
        services.parallelStream().forEach(p -> {
            boolean wasAlive = p.isAlive();
            boolean graceful = p.stop();
            if (wasAlive) {
                listener.stopped(p.name(), graceful);
            }
        });
        reversed.stream().filter(p -> p.name().equals("kafka")).forEach(p -> {
            boolean wasAlive = p.isAlive();
            boolean graceful = p.stop();
            if (wasAlive) {
                listener.stopped(p.name(), graceful);
            }
        });
    }

    /**
     * Kills one service of the running stack hard (SIGKILL: no shutdown hooks, no commit, no flush), starts it
     * again with the command, port and log it was started with (the log of the killed process is kept as
     * {@code <log>.1}), records the new process in the state file, and returns once it reports ready. It exists
     * for failure tests: what a crash and a restart by an orchestrator do to a service in flight.
     *
     * @param name    the service, such as {@code ingest-service}; the broker cannot be restarted this way
     * @param timeout how long the new process may take to become ready
     * @return the new process
     * @throws IllegalArgumentException if no service of that name runs in this stack
     * @throws StackException           if the old process does not die, or the new one exits or is not ready in time
     */
    public ManagedProcess crashAndRestart(String name, Duration timeout) {
        try (FileChannel ignored = lock()) {
            StackState state = running().orElseThrow(() -> new StackException("no stack is running in " + home));
            ServiceSpec spec = specs(state.serviceArgs()).stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no service named " + name + " (kafka is not one)"));
            ManagedProcess old = state.process(name).filter(ManagedProcess::isAlive)
                    .orElseThrow(() -> new IllegalArgumentException(name + " is not running in " + home));
            old.handle().ifPresent(ProcessHandle::destroyForcibly);
            awaitExit(old);
            ManagedProcess restarted = ManagedProcess.start(name, spec.port(),
                    spec.command(java, home.resolve("run").resolve(name + ".jar")), root, old.log());
            new StackState(state.startedAt(), state.ports(), state.processes().stream()
                    .map(p -> p.name().equals(name) ? restarted : p).toList(), state.serviceArgs()).write(home);
            awaitServices(new LinkedHashMap<>(Map.of(name, restarted)), StackListener.SILENT, System.nanoTime(),
                    System.nanoTime() + timeout.toNanos());
            return restarted;
        } catch (IOException e) {
            throw new StackException("cannot lock " + home.resolve("stack.lock") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a second instance of a service of the running stack, wired like the stack's own (the same tokens, the
     * same peers; not the extra arguments the stack was given) plus the given arguments, on a free loopback port, from the
     * jar the stack runs, with its log at {@code logs/<name>.log}. It is not part of the stack: the caller stops it
     * ({@link ManagedProcess#stop()}), and {@code kb down} does not know it. Benchmarks use it to measure a service
     * with another configuration beside the running one.
     *
     * @param service the service to copy, such as {@code inference-service}
     * @param name    the instance's name, for its log and process marker
     * @param args    more arguments of the form {@code --key=value}; one whose key the service already gets replaces it
     * @param timeout how long it may take to become ready
     * @return the ready process
     * @throws StackException if no stack runs, or the instance exits or is not ready in time (it is stopped then)
     */
    public ManagedProcess startBeside(String service, String name, List<String> args, Duration timeout) {
        StackState state = running().orElseThrow(() -> new StackException("no stack is running in " + home
                + "; start it with ./kb up"));
        ServiceSpec spec = ServiceSpec.all(state.ports(), home).stream().filter(s -> s.name().equals(service))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no service named " + service));
        Path jar = home.resolve("run").resolve(service + ".jar");
        if (!Files.isRegularFile(jar)) {
            jar = serviceJar(service).orElseThrow(() -> new StackException("no jar of " + service + " under "
                    + home.resolve("run") + " nor " + root.resolve(service).resolve("target")));
        }
        ServiceSpec beside = spec.renamed(name, freePort()).withArgs(args);
        ManagedProcess process = ManagedProcess.start(name, beside.port(), beside.command(java, jar), root,
                home.resolve("logs").resolve(name + ".log"));
        try {
            awaitServices(new LinkedHashMap<>(Map.of(name, process)), StackListener.SILENT, System.nanoTime(),
                    System.nanoTime() + timeout.toNanos());
            return process;
        } catch (RuntimeException e) {
            process.stop();
            throw e;
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StackException("cannot find a free loopback port: " + e.getMessage(), e);
        }
    }

    private static void awaitExit(ManagedProcess process) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new StackException(process.name() + " (pid " + process.pid() + ") survived SIGKILL for 10 s");
            }
            sleep(50);
        }
    }

    /** Each process with its health, as far as it can be asked. */
    public List<ComponentStatus> status() {
        StackState state = StackState.read(home).orElse(null);
        if (state == null) {
            return List.of();
        }
        return state.processes().stream().map(p -> {
            boolean alive = p.isAlive();
            String health = !alive ? "stopped" : p.name().equals("kafka") ? kafkaHealth()
                    : p.name().equals("prometheus") ? prometheusHealth(p.port()) : readiness(p.port());
            return new ComponentStatus(p.name(), p.pid(), p.port(), alive, health,
                    alive ? p.residentBytes() : Optional.empty());
        }).toList();
    }

    private String kafkaHealth() {
        try (Admin admin = KafkaBroker.admin(bootstrapServers())) {
            int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            return nodes > 0 ? "UP" : "DOWN";
        } catch (Exception e) {
            return "unreachable";
        }
    }

    /** UP when Prometheus answers its readiness endpoint. */
    private String prometheusHealth(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? "UP" : "starting";
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    /** The readiness status the service reports, or {@code unreachable}. */
    String readiness(int port) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = HEALTH_STATUS.matcher(response.body());
            return m.find() ? m.group(1) : "HTTP " + response.statusCode();
        } catch (IOException e) {
            return "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        }
    }

    private Map<ServiceSpec, Path> locateJars() {
        Map<ServiceSpec, Path> jars = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (ServiceSpec spec : specs(serviceArgs)) {
            Optional<Path> jar = serviceJar(spec.name());
            jar.ifPresentOrElse(j -> jars.put(spec, j), () -> missing.add(spec.name()));
        }
        if (!Files.isRegularFile(root.resolve("kb-cli/target/kb-cli.jar"))) {
            missing.add("kb-cli (its jar carries the classpath of Kafka's broker)");
        }
        if (!missing.isEmpty()) {
            throw new StackException("not built yet: " + String.join(", ", missing)
                    + ". Build with ./mvnw -q package -DskipTests (./kb up does this for you).");
        }
        return jars;
    }

    /**
     * Copies of the executable jars under the home: the services run from those, so that a build while the stack
     * runs (which rewrites the jars in target/) never pulls a loaded jar from under a running service.
     */
    private Map<ServiceSpec, Path> copyForRun(Map<ServiceSpec, Path> built) {
        Map<ServiceSpec, Path> copies = new LinkedHashMap<>();
        try {
            Path run = Files.createDirectories(home.resolve("run"));
            for (Map.Entry<ServiceSpec, Path> e : built.entrySet()) {
                Path copy = run.resolve(e.getKey().name() + ".jar");
                Files.copy(e.getValue(), copy, StandardCopyOption.REPLACE_EXISTING);
                copies.put(e.getKey(), copy);
            }
            return copies;
        } catch (IOException e) {
            throw new StackException("cannot copy the service jars to " + home.resolve("run") + ": " + e.getMessage(), e);
        }
    }

    /** The executable jar that Spring Boot's plugin wrote for a module. */
    Optional<Path> serviceJar(String module) {
        Path target = root.resolve(module).resolve("target");
        if (!Files.isDirectory(target)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(module + "-") && n.endsWith(".jar") && !n.endsWith("-plain.jar")
                        && !n.endsWith("-sources.jar") && !n.endsWith("-tests.jar");
            }).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void requireFreePorts() {
        List<String> busy = ports.byName().entrySet().stream()
                .filter(e -> !StackPorts.isFree(e.getValue()))
                .map(e -> e.getValue() + " (" + e.getKey() + ")")
                .toList();
        if (!busy.isEmpty()) {
            throw new StackException("ports in use by another program: " + String.join(", ", busy)
                    + ". Stop what uses them (ss -ltnp shows it) and run kb up again.");
        }
    }

    /** Holds an exclusive lock on the home while the stack starts; closing the channel releases it. */
    private FileChannel lock() throws IOException {
        Files.createDirectories(home);
        FileChannel channel = FileChannel.open(home.resolve("stack.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                channel.close();
                throw new StackException("another kb command is starting the stack in " + home + " right now");
            }
            return channel;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new StackException("this process is already starting the stack in " + home);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** Thrown when {@code kb up} finds a stack of the same home already running. */
    public static final class AlreadyRunningException extends StackException {

        private final transient StackState state;

        AlreadyRunningException(StackState state) {
            super("the local stack is already running (started " + state.startedAt() + "); see ./kb status, "
                    + "or stop it with ./kb down");
            this.state = state;
        }

        public StackState state() {
            return state;
        }
    }

    /** The names of the components in start order; prometheus only runs with {@code kb up --with-prometheus}. */
    public static Set<String> componentNames() {
        Set<String> names = new LinkedHashSet<>(List.of("kafka"));
        ServiceSpec.all(StackPorts.defaults(), Path.of(".kb")).forEach(s -> names.add(s.name()));
        names.add("prometheus");
        return names;
    }
}
