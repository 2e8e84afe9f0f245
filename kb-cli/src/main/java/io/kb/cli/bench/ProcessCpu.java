package io.kb.cli.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * The CPU time a process of the stack has used so far, as the operating system reports it. The difference over a
 * run, divided by its requests, is what one request costs that process, a figure that a busy machine stretches far
 * less than it stretches latency.
 */
interface ProcessCpu {

    /** Nothing known: the process is not one of the local stack's, or the system does not say. */
    ProcessCpu UNKNOWN = Optional::empty;

    /** The process's CPU time so far, user and system, or empty when unknown. */
    Optional<Duration> used();

    /** A process by its handle; empty once it has exited. */
    static ProcessCpu of(ProcessHandle process) {
        return () -> process.isAlive() ? process.info().totalCpuDuration() : Optional.empty();
    }
}
