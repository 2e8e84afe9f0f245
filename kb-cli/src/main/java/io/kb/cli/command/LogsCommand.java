package io.kb.cli.command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.StackException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kb logs SERVICE}: a component's log. */
@Command(name = "logs", description = "Print the log of a component of the local stack.")
public final class LogsCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Parameters(index = "0", paramLabel = "COMPONENT",
            description = "kafka, gateway, ingest, embedding, retrieval or inference (the -service suffix is optional).")
    String component;

    @Option(names = {"-n", "--lines"}, defaultValue = "200", description = "Lines from the end (default: ${DEFAULT-VALUE}).")
    int lines;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is appended, until Ctrl-C.")
    boolean follow;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String name = resolve(component);
        LocalStack stack = options.stack();
        Path log = stack.home().resolve("logs").resolve(name + ".log");
        if (!Files.exists(log)) {
            throw new StackException("no log for " + name + " yet at " + log + " (has ./kb up run?)");
        }
        List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(System.out::println);
        if (follow) {
            follow(log, Files.size(log));
        }
        return 0;
    }

    static String resolve(String given) {
        String n = given.trim().toLowerCase(java.util.Locale.ROOT);
        for (String known : LocalStack.componentNames()) {
            if (known.equals(n) || known.equals(n + "-service")) {
                return known;
            }
        }
        throw new StackException("unknown component '" + given + "'; one of " + String.join(", ", LocalStack.componentNames()));
    }

    private static void follow(Path log, long from) throws IOException, InterruptedException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long position = from;
            byte[] buffer = new byte[8192];
            while (true) {
                long length = file.length();
                if (length < position) {
                    position = 0; // rotated by a new kb up
                }
                file.seek(position);
                int n;
                while ((n = file.read(buffer)) > 0) {
                    System.out.write(buffer, 0, n);
                    position += n;
                }
                System.out.flush();
                Thread.sleep(300);
            }
        }
    }
}
