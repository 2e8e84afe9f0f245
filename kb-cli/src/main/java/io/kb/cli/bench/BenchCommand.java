package io.kb.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kb bench}: measurements a person runs against the running local stack, or ({@code index}) against the
 * chunk index alone; none of them is a test.
 */
@Command(name = "bench", description = "Measure the running local stack, or the chunk index alone (see the subcommands).",
        subcommands = {IngestBenchmark.class, AnswerBenchmark.class, GatewayBenchmark.class, IndexBenchmark.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
