package io.kb.cli.stack;

import java.util.Optional;

/**
 * How one process of the stack is doing, as {@code kb status} shows it.
 *
 * @param name     the component
 * @param pid      its process id
 * @param port     its port
 * @param alive    whether the process runs
 * @param health   {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}, or {@code unreachable}; for Kafka,
 *                 whether the broker answers
 * @param resident resident memory, when known
 */
public record ComponentStatus(String name, long pid, int port, boolean alive, String health,
        Optional<Long> resident) {
}
