package io.kb.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

    @TempDir
    Path home;

    @Test
    void survivesARoundTripThroughItsFile() {
        ProcessHandle self = ProcessHandle.current();
        ManagedProcess me = new ManagedProcess("gateway", self.pid(), self.info().startInstant().orElseThrow(), 8080,
                home.resolve("logs/gateway.log"));
        StackState state = new StackState(Instant.parse("2026-11-23T10:15:30Z"), StackPorts.defaults(), List.of(me));

        state.write(home);

        StackState read = StackState.read(home).orElseThrow();
        assertThat(read).isEqualTo(state);
        assertThat(read.anyAlive()).isTrue();
    }

    @Test
    void aRecordWhosePidWasReusedByAnotherProcessIsNotAlive() {
        ProcessHandle self = ProcessHandle.current();
        Instant otherStart = self.info().startInstant().orElseThrow().minusSeconds(3600);
        ManagedProcess stale = new ManagedProcess("kafka", self.pid(), otherStart, 9092, home.resolve("k.log"));

        assertThat(stale.isAlive()).isFalse();
        assertThat(new StackState(Instant.now(), StackPorts.defaults(), List.of(stale)).anyAlive()).isFalse();
    }

    @Test
    void noFileMeansNoStack() {
        assertThat(StackState.read(home)).isEmpty();
    }
}
