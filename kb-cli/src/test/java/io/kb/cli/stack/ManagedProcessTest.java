package io.kb.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {

    @TempDir
    Path dir;

    @Test
    void startsLogsAndStopsARealProcessGracefully() throws Exception {
        Path log = dir.resolve("logs/echo.log");
        ManagedProcess p = ManagedProcess.start("echo", 0,
                List.of("/bin/sh", "-c", "echo hello from the child; exec sleep 60"), dir, log);

        assertThat(p.isAlive()).isTrue();
        waitFor(() -> p.tail(5).contains("hello from the child"));
        assertThat(p.residentBytes()).hasValueSatisfying(b -> assertThat(b).isPositive());

        assertThat(p.stop()).isTrue();
        assertThat(p.isAlive()).isFalse();
        assertThat(ProcessHandle.of(p.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void killsAProcessThatIgnoresTheRequestToStop() throws Exception {
        ManagedProcess p = ManagedProcess.start("stubborn", 0,
                List.of("/bin/sh", "-c", "trap '' TERM; echo trapped; while true; do sleep 0.1; done"),
                dir, dir.resolve("stubborn.log"));
        waitFor(() -> p.tail(5).contains("trapped"));

        // Not graceful: the grace period passed and it was killed.
        assertThat(p.stop(Duration.ofSeconds(1))).isFalse();
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void keepsThePreviousLogWhenStartedAgain() throws Exception {
        Path log = dir.resolve("again.log");
        Files.writeString(log, "first run\n");

        ManagedProcess p = ManagedProcess.start("again", 0, List.of("/bin/sh", "-c", "echo second run"), dir, log);
        waitFor(() -> !p.isAlive());

        assertThat(Files.readString(dir.resolve("again.log.1"))).isEqualTo("first run\n");
        assertThat(Files.readString(log)).contains("second run").doesNotContain("first run");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(50);
        }
    }
}
