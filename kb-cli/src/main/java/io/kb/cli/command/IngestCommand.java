package io.kb.cli.command;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.kb.cli.ingest.FileDocuments;
import io.kb.cli.ingest.Ingestion;
import io.kb.contracts.Principal;
import io.kb.contracts.event.DocumentEvent;
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
        Ingestion ingestion = new Ingestion(kafka);
        if (noWait) {
            ingestion.publish(events);
            System.out.println("Published " + events.size() + " documents to kb.documents.v1 (tenant " + tenant + ").");
            return 0;
        }
        System.out.println("Publishing " + events.size() + " documents and following their progress...");
        IngestProgress progress = new IngestProgress(events.size());
        Ingestion.Result result = ingestion.publishAndFollow(events, timeout, progress::show);
        progress.summarize(result);
        if (!result.failed().isEmpty()) {
            return SOME_FAILED;
        }
        return result.pending().isEmpty() ? 0 : TIMED_OUT;
    }
}
