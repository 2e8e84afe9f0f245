package io.kb.cli.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code kb up} started, kept in {@code <home>/stack.json} so that {@code kb status}, {@code kb logs} and
 * {@code kb down} (other processes, later) find the same processes.
 *
 * @param startedAt when the stack was started
 * @param ports     the ports it uses
 * @param processes   the processes started so far, in start order
 * @param serviceArgs the Spring arguments given to services beyond their defaults (such as {@code kb up --llm-url}'s
 *                    tiers), by service, so that a restart starts a service as it was; never a secret (a key is
 *                    passed as a {@code ${ENV_VAR}} placeholder that the service resolves)
 */
public record StackState(Instant startedAt, StackPorts ports, List<ManagedProcess> processes,
        Map<String, List<String>> serviceArgs) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public StackState {
        processes = List.copyOf(processes);
        serviceArgs = serviceArgs == null ? Map.of() : Map.copyOf(serviceArgs);
    }

    /** A state of services started with their default arguments only. */
    public StackState(Instant startedAt, StackPorts ports, List<ManagedProcess> processes) {
        this(startedAt, ports, processes, Map.of());
    }

    StackState with(ManagedProcess process) {
        List<ManagedProcess> next = new ArrayList<>(processes);
        next.add(process);
        return new StackState(startedAt, ports, next, serviceArgs);
    }

    /** True while any of its processes is still running. */
    public boolean anyAlive() {
        return processes.stream().anyMatch(ManagedProcess::isAlive);
    }

    public Optional<ManagedProcess> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    static Path file(Path home) {
        return home.resolve("stack.json");
    }

    static Optional<StackState> read(Path home) {
        Path file = file(home);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (JacksonException e) {
            throw new StackException("cannot read " + file + " (" + e.getOriginalMessage()
                    + "); if no stack is running, delete it");
        }
    }

    void write(Path home) {
        Path file = file(home);
        try {
            Files.createDirectories(home);
            Path tmp = file.resolveSibling("stack.json.tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void delete(Path home) {
        try {
            Files.deleteIfExists(file(home));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(home), e);
        }
    }
}
