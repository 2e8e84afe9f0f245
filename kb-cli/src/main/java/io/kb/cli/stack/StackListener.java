package io.kb.cli.stack;

import java.time.Duration;
import java.util.Set;

/** Hears what the local stack does while it starts and stops, to show progress. */
public interface StackListener {

    void starting(String component);

    void ready(String component, Duration sinceStart);

    /** Called about once a second while components are still starting. */
    void waiting(Set<String> pending, Duration sinceStart);

    void stopped(String component, boolean graceful);

    /** A listener that shows nothing. */
    StackListener SILENT = new StackListener() {
        @Override
        public void starting(String component) {
        }

        @Override
        public void ready(String component, Duration sinceStart) {
        }

        @Override
        public void waiting(Set<String> pending, Duration sinceStart) {
        }

        @Override
        public void stopped(String component, boolean graceful) {
        }
    };
}
