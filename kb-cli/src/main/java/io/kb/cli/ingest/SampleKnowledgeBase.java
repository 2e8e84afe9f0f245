package io.kb.cli.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.kb.contracts.event.DocumentEvent;

/**
 * The sample knowledge base shipped in {@code samples/knowledge-base}: documents listed in {@code manifest.tsv}
 * (path, comma-separated ACL, title), loaded into the tenant {@value #TENANT} by {@code kb up}.
 */
public final class SampleKnowledgeBase {

    /** The sample company's tenant. */
    public static final String TENANT = "aurora";

    private final Path folder;

    public SampleKnowledgeBase(Path folder) {
        this.folder = folder;
    }

    /** The folder under a project root. */
    public static SampleKnowledgeBase under(Path root) {
        return new SampleKnowledgeBase(root.resolve("samples/knowledge-base"));
    }

    public boolean exists() {
        return Files.isRegularFile(folder.resolve("manifest.tsv"));
    }

    /** One event per manifest line, with that line's ACL and title; the document id is the path. */
    public List<DocumentEvent> events() {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve("manifest.tsv"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample manifest in " + folder, e);
        }
        List<DocumentEvent> events = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length < 3) {
                throw new IllegalStateException("manifest line without path, acl and title: " + line);
            }
            List<String> acl = Arrays.stream(cells[1].split(",")).map(String::trim).toList();
            FileDocuments documents = new FileDocuments(TENANT, acl, "", FileDocuments.DEFAULT_INLINE_LIMIT);
            events.add(documents.event(folder.resolve(cells[0]), cells[0], cells[2]));
        }
        return events;
    }
}
