package io.kb.cli.command;

import java.nio.file.Path;

import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.StackPorts;
import picocli.CommandLine.Option;

/** Where the project and the stack's home are; {@code ./kb} sets both, so users rarely need these options. */
public final class StackOptions {

    @Option(names = "--root", description = "The project's root folder (default: set by ./kb).",
            defaultValue = "${sys:kb.root:-.}")
    Path root;

    @Option(names = "--home", description = "Where the stack keeps state, data and logs (default: <root>/.kb).")
    Path home;

    public LocalStack stack() {
        Path h = home != null ? home : root.resolve(".kb");
        return new LocalStack(root, h, StackPorts.defaults());
    }
}
