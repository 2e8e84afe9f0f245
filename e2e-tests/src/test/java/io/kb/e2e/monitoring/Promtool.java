package io.kb.e2e.monitoring;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds the Prometheus binaries on the PATH and runs promtool. */
final class Promtool {

    /** What a test that needs a missing binary says when it is skipped. */
    static final String HOW_TO_INSTALL = "not found on the PATH: install Debian's prometheus package "
            + "(sudo apt-get install prometheus; ./kb test does it when run as root) or a release from "
            + "https://prometheus.io/download/";

    private Promtool() {
    }

    /** The named executable ({@code promtool}, {@code prometheus}) on the PATH. */
    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A finished command: its exit status and its output (standard output and error together). */
    record Run(int exitCode, String output) {
    }

    /** Runs a command in {@code dir} and waits at most a minute. */
    static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
