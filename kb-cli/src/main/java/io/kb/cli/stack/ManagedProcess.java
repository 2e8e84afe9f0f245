package io.kb.cli.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process of the local stack, known by its pid and start time so that a later {@code kb down} or
 * {@code kb status}, in another JVM, finds exactly that process and never one that reused the pid.
 *
 * @param name      what it is ({@code kafka}, {@code gateway}, ...)
 * @param pid       the operating system's process id
 * @param startedAt when the operating system started it, as reported by {@link ProcessHandle.Info}
 * @param port      the port it serves (the broker's client port for Kafka)
 * @param log       where its standard output and error go
 */
public record ManagedProcess(String name, long pid, Instant startedAt, int port, Path log) {

    /** System property set on every process the stack starts; its value is the process's name. */
    public static final String MARKER_PROPERTY = "kb.stack.component";

    private static final Duration GRACE = Duration.ofSeconds(30);

    /**
     * Starts a command in a session of its own ({@code setsid}), so that Ctrl-C in the terminal reaches only
     * {@code kb}, which then stops the stack in order. Output goes to {@code log}; the previous log is kept as
     * {@code <log>.1}.
     */
    static ManagedProcess start(String name, int port, List<String> command, Path workDir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            if (Files.exists(log)) {
                Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> full = new ArrayList<>();
            if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                full.add("/usr/bin/setsid");
            }
            full.addAll(command);
            Process process = new ProcessBuilder(full)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            Instant started = process.toHandle().info().startInstant().orElse(Instant.now());
            return new ManagedProcess(name, process.pid(), started, port, log);
        } catch (IOException e) {
            throw new StackException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** The live process, if it is still the one this record describes. */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().startInstant()
                .map(s -> Math.abs(Duration.between(s, startedAt).toMillis()) < 2_000)
                .orElse(true));
    }

    public boolean isAlive() {
        return handle().isPresent();
    }

    /**
     * Asks the process to stop (SIGTERM: Spring Boot and Kafka shut down gracefully on it), waits, and kills it
     * if it has not stopped within the grace period.
     *
     * @return true if it stopped gracefully or was already gone
     */
    public boolean stop() {
        return stop(GRACE);
    }

    /**
     * @param grace how long to wait after SIGTERM before killing it
     * @return true if it stopped gracefully or was already gone
     */
    boolean stop(Duration grace) {
        Optional<ProcessHandle> h = handle();
        if (h.isEmpty()) {
            return true;
        }
        ProcessHandle process = h.get();
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // did not stop in time: fall through to a hard kill
        }
        process.destroyForcibly();
        try {
            process.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the kernel reaps it; nothing more can be done from here
        }
        return false;
    }

    /** Resident memory in bytes, read from {@code /proc} (Linux); empty elsewhere or when gone. */
    public Optional<Long> residentBytes() {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Optional.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The last lines of the log, to explain a failed start. */
    public List<String> tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(no log at " + log + ")");
        }
    }
}
