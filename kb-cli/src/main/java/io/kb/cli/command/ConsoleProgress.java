package io.kb.cli.command;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.kb.cli.stack.StackListener;

/**
 * Shows the stack's progress: a line per component as it becomes ready and, on a terminal, one status line
 * rewritten in place with what is still starting. Without a terminal (CI, pipes) it prints a waiting line every
 * ten seconds instead.
 */
final class ConsoleProgress implements StackListener {

    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private boolean statusLineShown;
    private long lastPlainReport;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void starting(String component) {
        clearStatusLine();
        out.println("  … " + component + " starting");
    }

    @Override
    public synchronized void ready(String component, Duration sinceStart) {
        clearStatusLine();
        out.printf(Locale.ROOT, "  ✓ %-18s ready after %5.1f s%n", component, sinceStart.toMillis() / 1000.0);
    }

    @Override
    public synchronized void waiting(Set<String> pending, Duration sinceStart) {
        long seconds = sinceStart.toSeconds();
        String line = String.format(Locale.ROOT, "  waiting %3d s for %s", seconds, String.join(", ", pending));
        if (terminal) {
            out.print("\r" + line + "\033[K");
            out.flush();
            statusLineShown = true;
        } else if (seconds - lastPlainReport >= 10) {
            out.println(line);
            lastPlainReport = seconds;
        }
    }

    @Override
    public synchronized void stopped(String component, boolean graceful) {
        clearStatusLine();
        out.println("  ■ " + component + (graceful ? " stopped" : " killed (it did not stop within 30 s)"));
    }

    synchronized void done() {
        clearStatusLine();
    }

    private void clearStatusLine() {
        if (statusLineShown) {
            out.print("\r\033[K");
            statusLineShown = false;
        }
    }
}
