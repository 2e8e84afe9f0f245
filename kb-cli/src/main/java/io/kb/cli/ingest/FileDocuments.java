package io.kb.cli.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.kb.contracts.SupportedMediaTypes;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;

/**
 * Turns files and folders into document events: one {@code UPSERT} per regular file, found recursively, hidden
 * files and folders skipped.
 *
 * <p>The document id is the id prefix plus the file's path relative to the argument it was found under, with
 * {@code /} separators, so that the same tree ingested twice names the same documents. The version is the file's
 * last-modified time in milliseconds: ingesting an unchanged file again is a no-op downstream, an edited file
 * supersedes the old version. The content travels inline while it is small enough, otherwise as a {@code file:}
 * reference that ingest-service reads (local mode). The media type is left to detection by content, except for
 * Markdown, which no detector can tell from plain text.
 */
public final class FileDocuments {

    /**
     * Largest file sent inline: base64 grows it by a third, and the whole record must stay under Kafka's default
     * limit of about 1 MB.
     */
    public static final long DEFAULT_INLINE_LIMIT = 700 * 1024;

    private final String tenant;
    private final List<String> acl;
    private final String idPrefix;
    private final long inlineLimit;

    public FileDocuments(String tenant, List<String> acl, String idPrefix, long inlineLimit) {
        this.tenant = tenant;
        this.acl = List.copyOf(acl);
        this.idPrefix = idPrefix == null ? "" : idPrefix;
        this.inlineLimit = inlineLimit;
    }

    /** One event per file under the given paths, in a stable order. */
    public List<DocumentEvent> events(List<Path> paths) {
        List<DocumentEvent> events = new ArrayList<>();
        for (Path given : paths) {
            Path root = given.toAbsolutePath().normalize();
            if (!Files.exists(root)) {
                throw new IllegalArgumentException("no such file or folder: " + given);
            }
            if (Files.isRegularFile(root)) {
                events.add(event(root, root.getFileName().toString(), null));
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile)
                        .filter(f -> !isHidden(root.relativize(f)))
                        .sorted(Comparator.naturalOrder())
                        .forEach(f -> events.add(event(f, root.relativize(f).toString().replace('\\', '/'), null)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + given, e);
            }
        }
        return events;
    }

    /**
     * The event for one file.
     *
     * @param file       the file
     * @param relativeId its id without the prefix
     * @param title      the title, or null for the file name without its extension
     */
    public DocumentEvent event(Path file, String relativeId, String title) {
        try {
            long size = Files.size(file);
            long version = Files.getLastModifiedTime(file).toMillis();
            Content content = size <= inlineLimit
                    ? Content.ofBytes(Files.readAllBytes(file))
                    : Content.ofReference(file.toUri().toString());
            String name = file.getFileName().toString();
            return DocumentEvent.upsert(tenant, idPrefix + relativeId, version,
                            title != null ? title : stripExtension(name), mediaTypeHint(name), acl, Map.of(), content)
                    .withSource(file.toUri().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String mediaTypeHint(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        if (n.endsWith(".md") || n.endsWith(".markdown")) {
            return SupportedMediaTypes.TEXT_MARKDOWN.value();
        }
        return SupportedMediaTypes.OCTET_STREAM.value();
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
