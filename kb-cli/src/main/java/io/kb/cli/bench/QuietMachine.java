package io.kb.cli.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Waits, before a timed phase, until the machine's CPUs are mostly idle. The phase before may leave work behind that
 * it does not wait for: after the last document is indexed, retrieval-service still merges segments and the JIT
 * compilers still compile; on a small machine that work would be charged to the next phase. Waiting puts every
 * phase on the same footing, whichever comes first.
 *
 * @param load      the system's CPU load over the last interval, 0 to 1 of all CPUs (negative when unknown)
 * @param clock     nanoseconds, for the timeout
 * @param sleeper   sleeps between samples
 * @param threshold the load below which a sample counts as quiet
 * @param samples   the consecutive quiet samples needed
 * @param interval  the time between samples
 * @param timeout   how long to wait at most
 */
record QuietMachine(DoubleSupplier load, LongSupplier clock, Sleeper sleeper, double threshold, int samples,
        Duration interval, Duration timeout) {

    /** Sleeps; a seam for tests. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** What a wait found. */
    record Wait(boolean quiet, Duration waited, double lastLoad) {
    }

    /**
     * This machine, as the JVM sees it: quiet when under 15% of all CPUs are busy for two samples half a second
     * apart, waiting at most a minute. An idle local stack uses about 5% of two cores (polling consumers, timers).
     */
    static QuietMachine system() {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return new QuietMachine(os::getCpuLoad, System::nanoTime, d -> Thread.sleep(d), 0.15, 2,
                Duration.ofMillis(500), Duration.ofMinutes(1));
    }

    /**
     * Samples the load until it is under the threshold for the needed consecutive samples, or the timeout passes.
     * A load that cannot be read counts as quiet, so that a system that does not say never delays a run.
     */
    Wait await() {
        long start = clock.getAsLong();
        load.getAsDouble(); // The first reading starts the interval the next one covers.
        int quiet = 0;
        double last = -1;
        try {
            while (true) {
                sleeper.sleep(interval);
                last = load.getAsDouble();
                quiet = last < threshold ? quiet + 1 : 0;
                Duration waited = Duration.ofNanos(clock.getAsLong() - start);
                if (quiet >= samples) {
                    return new Wait(true, waited, last);
                }
                if (waited.compareTo(timeout) >= 0) {
                    return new Wait(false, waited, last);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Wait(false, Duration.ofNanos(clock.getAsLong() - start), last);
        }
    }
}
