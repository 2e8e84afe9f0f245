package io.kb.cli.command;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.kb.cli.stack.ComponentStatus;
import io.kb.cli.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kb status}: each process of the local stack, its port and its health. */
@Command(name = "status", description = "Show each process of the local stack: pid, port, health, memory.")
public final class StatusCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        LocalStack stack = options.stack();
        List<ComponentStatus> status = stack.status();
        if (status.isEmpty()) {
            System.out.println("The local stack is not running. Start it with ./kb up");
            return 3;
        }
        System.out.printf(Locale.ROOT, "%-18s %8s %6s  %-12s %8s%n", "COMPONENT", "PID", "PORT", "HEALTH", "RSS");
        for (ComponentStatus s : status) {
            String rss = s.resident().map(b -> (b / (1024 * 1024)) + " MiB").orElse("-");
            System.out.printf(Locale.ROOT, "%-18s %8d %6d  %-12s %8s%n", s.name(), s.pid(), s.port(), s.health(), rss);
        }
        boolean allUp = status.stream().allMatch(s -> s.alive() && "UP".equals(s.health()));
        return allUp ? 0 : 1;
    }
}
