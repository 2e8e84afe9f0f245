package io.kb.ingest.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.IngestStages;
import io.kb.ingest.source.upload.UploadMissingException;
import io.kb.ingest.source.upload.UploadReference;
import io.kb.ingest.source.upload.UploadStore;
import io.kb.service.kafka.ProcessingFailure;

/**
 * Stage 1 of ingestion: the bytes of a document, from the event itself (inline text or base64) or from the place
 * its reference names. {@code file:} references are honoured only under the configured roots, after links are
 * resolved, so an event cannot make the service read {@code /etc/shadow}; {@code http(s):} downloads are bounded in
 * size and time; {@code upload:} references are opened in the {@link UploadStore} where the documents API put them,
 * and only for the very document version they were stored for; {@code s3:} is not supported yet and says so.
 */
public final class ContentFetcher {

    /**
     * The content; when known, the name of the file it came from (a parsing hint, never trusted for type); and, for
     * inline text, which is UTF-8 by construction, its encoding.
     */
    public record Fetched(InputStream stream, String fileName, Charset charset) {

        Fetched(InputStream stream, String fileName) {
            this(stream, fileName, null);
        }
    }

    private final SourceProperties properties;
    private final List<Path> roots;
    private final HttpClient http;
    private final UploadStore uploads;

    public ContentFetcher(SourceProperties properties, UploadStore uploads) {
        this.properties = properties;
        this.uploads = uploads;
        this.roots = properties.fileRoots().stream().map(ContentFetcher::realPath).toList();
        this.http = HttpClient.newBuilder().connectTimeout(properties.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @throws UploadMissingException when the event names an upload the store no longer holds, which the caller
     *         judges: a redelivery of a settled version, or a failure
     */
    public Fetched fetch(DocumentEvent event) {
        Content content = event.content();
        try {
            event.requireInlineWithin(properties.inlineMaxBytes().toBytes());
        } catch (ContractViolationException e) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, e.getMessage());
        }
        return switch (content.kind()) {
            case TEXT -> new Fetched(new ByteArrayInputStream(content.inlineBytes()), null, StandardCharsets.UTF_8);
            case BASE64 -> new Fetched(new ByteArrayInputStream(content.inlineBytes()), null);
            case REFERENCE -> fromReference(event, content.referenceUri());
        };
    }

    /** Whether the event names an upload that the store does not hold (any more). */
    public boolean uploadMissing(DocumentEvent event) {
        Content content = event.content();
        if (content == null || content.kind() != Content.Kind.REFERENCE
                || !UploadReference.isUpload(content.referenceUri())) {
            return false;
        }
        try {
            uploads.open(UploadReference.parse(content.reference())).close();
            return false;
        } catch (UploadMissingException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;   // fetch() says what is wrong with it
        }
    }

    private Fetched fromReference(DocumentEvent event, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return switch (scheme) {
            case UploadReference.SCHEME -> fromUpload(event, uri);
            case "file" -> fromFile(uri);
            case "http", "https" -> fromHttp(uri);
            default -> throw ProcessingFailure.permanent(IngestStages.FETCH,
                    "references with scheme '" + scheme + "' are not supported yet; use file:, http:, https: or upload:");
        };
    }

    private Fetched fromUpload(DocumentEvent event, URI uri) {
        UploadReference reference;
        try {
            reference = UploadReference.parse(uri.toString());
        } catch (IllegalArgumentException e) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, e.getMessage());
        }
        // Another producer could name someone else's upload; it is read only for the version it was stored for.
        if (!reference.belongsTo(event.tenant(), event.documentId(), event.version())) {
            throw ProcessingFailure.permanent(IngestStages.FETCH,
                    "the upload reference was not stored for this tenant, document and version");
        }
        try {
            return new Fetched(uploads.open(reference), null);
        } catch (UncheckedIOException e) {
            throw ProcessingFailure.transientFailure(IngestStages.FETCH, e.getMessage(), e);
        }
    }

    private Fetched fromFile(URI uri) {
        Path path;
        try {
            path = Path.of(uri).toRealPath();
        } catch (NoSuchFileException e) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, "no such file: " + uri.getPath());
        } catch (IOException | IllegalArgumentException e) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, "cannot read " + uri + ": " + e.getMessage());
        }
        if (roots.stream().noneMatch(path::startsWith)) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, "file " + path
                    + " is outside the folders this service may read (kb.ingest.source.file-roots)");
        }
        try {
            return new Fetched(Files.newInputStream(path), path.getFileName().toString());
        } catch (IOException e) {
            throw ProcessingFailure.transientFailure(IngestStages.FETCH, "cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    private Fetched fromHttp(URI uri) {
        if (!properties.allowsHost(uri.getHost())) {
            throw ProcessingFailure.permanent(IngestStages.FETCH, "host " + uri.getHost()
                    + " is not in kb.ingest.source.http-allowed-hosts");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(properties.httpTimeout()).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status >= 500 || status == 429) {
                response.body().close();
                throw ProcessingFailure.transientFailure(IngestStages.FETCH, uri + " answered " + status, null);
            }
            if (status >= 300) {
                response.body().close();
                throw ProcessingFailure.permanent(IngestStages.FETCH, uri + " answered " + status);
            }
            byte[] body;
            try (InputStream in = response.body()) {
                long max = properties.httpMaxBytes().toBytes();
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                if (body.length > max) {
                    throw ProcessingFailure.permanent(IngestStages.FETCH, uri + " is larger than "
                            + properties.httpMaxBytes() + " (kb.ingest.source.http-max-bytes)");
                }
            }
            String name = Path.of(uri.getPath().isEmpty() ? "/document" : uri.getPath()).getFileName().toString();
            return new Fetched(new ByteArrayInputStream(body), name);
        } catch (IOException e) {
            throw ProcessingFailure.transientFailure(IngestStages.FETCH, "cannot fetch " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProcessingFailure.transientFailure(IngestStages.FETCH, "interrupted while fetching " + uri, e);
        }
    }

    private static Path realPath(Path root) {
        try {
            return root.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            return root.toAbsolutePath().normalize();
        }
    }
}
