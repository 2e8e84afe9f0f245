package io.kb.cli.command;

import java.util.concurrent.Callable;

import io.kb.cli.stack.LocalStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kb down}: stops what {@code kb up} started. */
@Command(name = "down", description = "Stop the local stack: services first, then the broker.")
public final class DownCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Override
    public Integer call() {
        LocalStack stack = options.stack();
        if (stack.running().isEmpty()) {
            stack.stop(io.kb.cli.stack.StackListener.SILENT); // clears a stale state file, if any
            System.out.println("The local stack is not running.");
            return 0;
        }
        System.out.println("Stopping the local stack...");
        stack.stop(new ConsoleProgress(System.out));
        System.out.println("Stopped.");
        return 0;
    }
}
