package io.kb.cli.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.kb.cli.ingest.DocumentPublisher;
import io.kb.cli.ingest.FileDocuments;
import io.kb.cli.ingest.StatusTracker;
import io.kb.cli.ingest.StatusTracker.Outcome;
import io.kb.contracts.Principal;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.IngestState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kb ingest}: files and folders into the knowledge base, through the same Kafka topic as any producer. */
@Command(name = "ingest", description = {
        "Publish files (folders recursively) as document events to kb.documents.v1 and follow them until each is",
        "indexed or failed. Exit code: 0 all indexed, 1 some failed, 4 timed out."})
public final class IngestCommand implements Callable<Integer> {

    /** Exit code when some document could not be ingested. */
    static final int SOME_FAILED = 1;
    /** Exit code when documents were still pending at the timeout. */
    static final int TIMED_OUT = 4;

    @Mixin
    StackOptions options;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders.")
    List<Path> paths;

    @Option(names = "--tenant", required = true, description = "The tenant (knowledge base) the documents belong to.")
    String tenant;

    @Option(names = "--acl", required = true, split = ",", paramLabel = "PRINCIPAL",
            description = "Who may read them: public, group:<name> or user:<id>, comma-separated.")
    List<String> acl;

    @Option(names = "--id-prefix", defaultValue = "", description = "Put in front of every document id (path relative to the argument).")
    String idPrefix;

    @Option(names = "--no-wait", description = "Return once Kafka has the events, without following them.")
    boolean noWait;

    @Option(names = "--timeout", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to follow them (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--bootstrap-servers", description = "Kafka (default: the local stack's broker).")
    String bootstrapServers;

    @Override
    public Integer call() {
        acl.forEach(p -> Principal.requireValid("acl", p));
        String kafka = bootstrapServers != null ? bootstrapServers : options.stack().bootstrapServers();
        List<DocumentEvent> events = new FileDocuments(tenant, acl, idPrefix, FileDocuments.DEFAULT_INLINE_LIMIT)
                .events(paths);
        if (events.isEmpty()) {
            System.out.println("No files found.");
            return 0;
        }
        if (noWait) {
            publish(kafka, events);
            System.out.println("Published " + events.size() + " documents to kb.documents.v1 (tenant " + tenant + ").");
            return 0;
        }
        try (StatusTracker tracker = new StatusTracker(kafka)) {
            tracker.expect(events);
            publish(kafka, events);
            System.out.println("Published " + events.size() + " documents; following their progress...");
            ProgressBar bar = new ProgressBar(events.size());
            Map<String, Outcome> outcomes = tracker.await(timeout, bar::show);
            bar.done();
            return summarize(events.size(), outcomes, tracker.pending());
        }
    }

    private static void publish(String kafka, List<DocumentEvent> events) {
        try (DocumentPublisher publisher = new DocumentPublisher(kafka)) {
            publisher.publish(events);
        }
    }

    private static int summarize(int total, Map<String, Outcome> outcomes, List<String> pending) {
        long indexed = outcomes.values().stream().filter(o -> o.state() == IngestState.INDEXED).count();
        List<Outcome> failed = outcomes.values().stream().filter(o -> o.state() == IngestState.FAILED).toList();
        System.out.printf(Locale.ROOT, "Indexed %d of %d documents; %d failed; %d still pending.%n",
                indexed, total, failed.size(), pending.size());
        failed.forEach(o -> System.out.println("  failed  " + o.documentId() + ": " + o.reason()));
        pending.forEach(k -> System.out.println("  pending " + k));
        if (!failed.isEmpty()) {
            return SOME_FAILED;
        }
        return pending.isEmpty() ? 0 : TIMED_OUT;
    }

    /** One line, rewritten in place on a terminal, printed at each change otherwise. */
    private static final class ProgressBar {
        private final int total;
        private final boolean terminal = System.console() != null;

        ProgressBar(int total) {
            this.total = total;
        }

        void show(Map<String, Outcome> outcomes) {
            long done = outcomes.values().stream()
                    .filter(o -> o.state() == IngestState.INDEXED || o.state() == IngestState.FAILED).count();
            long failed = outcomes.values().stream().filter(o -> o.state() == IngestState.FAILED).count();
            int width = 30;
            int filled = (int) (width * done / total);
            String line = String.format(Locale.ROOT, "  [%s%s] %d/%d done, %d failed",
                    "#".repeat(filled), ".".repeat(width - filled), done, total, failed);
            if (terminal) {
                System.out.print("\r" + line + "\033[K");
                System.out.flush();
            } else {
                System.out.println(line);
            }
        }

        void done() {
            if (terminal) {
                System.out.println();
            }
        }
    }
}
