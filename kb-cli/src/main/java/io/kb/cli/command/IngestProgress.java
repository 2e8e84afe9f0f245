package io.kb.cli.command;

import java.util.Locale;
import java.util.Map;

import io.kb.cli.ingest.Ingestion;
import io.kb.cli.ingest.StatusTracker.Outcome;
import io.kb.contracts.event.IngestState;

/** A progress bar of documents indexed or failed, rewritten in place on a terminal; a summary at the end. */
final class IngestProgress {

    private final int total;
    private final boolean terminal = System.console() != null;
    private String lastLine;

    IngestProgress(int total) {
        this.total = total;
    }

    void show(Map<String, Outcome> outcomes) {
        long done = outcomes.values().stream()
                .filter(o -> o.state() == IngestState.INDEXED || o.state() == IngestState.FAILED).count();
        long failed = outcomes.values().stream().filter(o -> o.state() == IngestState.FAILED).count();
        int width = 30;
        int filled = (int) (width * done / Math.max(1, total));
        String line = String.format(Locale.ROOT, "  [%s%s] %d/%d done, %d failed",
                "#".repeat(filled), ".".repeat(width - filled), done, total, failed);
        if (line.equals(lastLine)) {
            return; // a status that changes no count (RECEIVED) shows nothing new
        }
        lastLine = line;
        if (terminal) {
            System.out.print("\r" + line + "\033[K");
            System.out.flush();
        } else {
            System.out.println(line);
        }
    }

    /** Ends the bar and prints what became of the documents. */
    void summarize(Ingestion.Result result) {
        if (terminal) {
            System.out.println();
        }
        System.out.printf(Locale.ROOT, "Indexed %d of %d documents; %d failed; %d still pending.%n",
                result.indexed(), result.total(), result.failed().size(), result.pending().size());
        result.failed().forEach(o -> System.out.println("  failed  " + o.documentId() + ": " + o.reason()));
        result.pending().forEach(k -> System.out.println("  pending " + k));
    }
}
