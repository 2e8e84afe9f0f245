package io.kb.cli.eval;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kb eval}: quality measurements on public test sets; the platform's parts run in this process. */
@Command(name = "eval", description = "Measure the platform's quality on a test set (see the subcommands).",
        subcommands = {RetrievalEvaluation.class})
public final class EvalCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
