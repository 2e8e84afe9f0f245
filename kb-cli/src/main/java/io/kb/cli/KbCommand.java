package io.kb.cli;

import io.kb.cli.command.AskCommand;
import io.kb.cli.command.DownCommand;
import io.kb.cli.command.IngestCommand;
import io.kb.cli.command.LogsCommand;
import io.kb.cli.command.StatusCommand;
import io.kb.cli.command.TokenCommand;
import io.kb.cli.command.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kb}: runs the platform locally and talks to it. The shell script {@code ./kb} finds a JDK, builds what
 * is missing and runs this; {@code kb test} and {@code kb build} are handled by the script itself (they run
 * Maven and need no built CLI).
 */
@Command(name = "kb", mixinStandardHelpOptions = true, version = "kb 0.1.0",
        description = "The enterprise knowledge platform, on this machine.",
        subcommands = {UpCommand.class, DownCommand.class, StatusCommand.class, LogsCommand.class, IngestCommand.class,
                TokenCommand.class, AskCommand.class, io.kb.cli.eval.EvalCommand.class,
                io.kb.cli.bench.BenchCommand.class},
        footer = {"", "Also, run by ./kb itself:",
                "  test     Run every test that can run on this machine (./mvnw -B verify).",
                "  build    Package the platform (./mvnw -q package -DskipTests)."})
public final class KbCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command tree, with the project's error handling: a failure prints one clear line, not a trace. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new KbCommand());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("kb: " + e.getMessage());
            return e instanceof io.kb.cli.stack.StackException ? 1 : 2;
        });
        return cli;
    }
}
