package io.kb.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.SupportedMediaTypes;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import io.kb.ingest.source.upload.UploadReference;
import io.kb.ingest.source.upload.UploadStore;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the two forms of an upload into the {@link DocumentEvent} that the API publishes, storing a large file in the
 * {@link UploadStore} first. The tenant is always the
 * caller's; every rule of the contract is checked by the event itself, so a bad field becomes a
 * {@link ContractViolationException} that names it (a 400 problem).
 */
final class UploadEvents {

    /**
     * A multipart upload's event, and the upload it stored, if any, to be deleted when the event cannot be published.
     *
     * @param event  the event to publish
     * @param stored the stored upload its content names, or {@code null} when the content is inline
     */
    record Multipart(DocumentEvent event, UploadReference stored) {
    }

    private static final String METADATA_PREFIX = "metadata.";

    private final UploadStore store;
    private final long inlineMaxBytes;
    private final long uploadMaxBytes;

    private final ObjectReader uploads = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(DocumentUpload.class);

    /**
     * @param store          where files over {@code inlineMaxBytes} go
     * @param inlineMaxBytes largest file sent inside the event
     * @param uploadMaxBytes largest file stored
     */
    UploadEvents(UploadStore store, long inlineMaxBytes, long uploadMaxBytes) {
        this.store = store;
        this.inlineMaxBytes = inlineMaxBytes;
        this.uploadMaxBytes = uploadMaxBytes;
    }

    /** An event from an {@code application/json} upload. */
    DocumentEvent fromJson(byte[] body, String tenant, long now) {
        DocumentUpload upload = read(body);
        Content content = content(upload.text(), upload.base64(), upload.reference());
        return DocumentEvent.upsert(tenant, upload.documentId(), upload.version() == null ? now : upload.version(),
                upload.title(), upload.mediaType(), upload.acl(), upload.metadata(), content)
                .withSource(upload.source());
    }

    /**
     * An event from a {@code multipart/form-data} upload. Every field is checked before the file is read; then a file
     * within the inline limit travels in base64 inside the event, and a larger one is written to the upload store and
     * the event carries its {@code upload:} reference.
     *
     * @param fields every form field: {@code documentId}, {@code title}, {@code source}, {@code acl} (comma-separated),
     *               {@code version}, {@code mediaType} and {@code metadata.<key>}
     * @throws io.kb.ingest.source.upload.UploadTooLargeException when the file is over the store's limit
     */
    Multipart fromMultipart(MultipartFile file, Map<String, String> fields, String tenant, long now) {
        String documentId = blankToNull(fields.get("documentId"));
        if (documentId == null) {
            documentId = blankToNull(file.getOriginalFilename());
            if (documentId == null) {
                throw new ContractViolationException("documentId", "is required when the file part has no file name");
            }
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        fields.forEach((name, value) -> {
            if (name.startsWith(METADATA_PREFIX)) {
                metadata.put(name.substring(METADATA_PREFIX.length()), value);
            }
        });
        String mediaType = blankToNull(fields.get("mediaType"));
        if (mediaType == null) {
            // A browser's guess from the file name is only a hint: an unsupported one is left to content detection.
            mediaType = SupportedMediaTypes.find(file.getContentType()).map(SupportedMediaTypes::value).orElse(null);
        }
        long version = version(fields.get("version"), now);
        String title = blankToNull(fields.get("title"));
        String source = blankToNull(fields.get("source"));
        List<String> acl = acl(fields.get("acl"));
        // Checks every field, so that a bad request stores nothing.
        DocumentEvent.upsert(tenant, documentId, version, title, mediaType, acl, metadata, Content.ofText(""))
                .withSource(source);
        UploadReference stored = null;
        Content content;
        try {
            if (file.getSize() <= inlineMaxBytes) {
                content = Content.ofBytes(file.getBytes());
            } else {
                try (InputStream in = file.getInputStream()) {
                    stored = store.put(tenant, documentId, version, in, uploadMaxBytes);
                }
                content = Content.ofReference(stored.uri());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded file", e);
        }
        DocumentEvent event = DocumentEvent.upsert(tenant, documentId, version, title, mediaType, acl, metadata, content)
                .withSource(source);
        return new Multipart(event, stored);
    }

    /** The version of a request parameter, or {@code now} when there is none. */
    static long version(String value, long now) {
        if (value == null || value.isBlank()) {
            return now;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new ContractViolationException("version", "must be an integer, was '" + shorten(value) + "'");
        }
    }

    private DocumentUpload read(byte[] body) {
        try {
            DocumentUpload upload = uploads.readValue(body);
            if (upload == null) {
                throw new ContractViolationException("$", "must be a JSON object, not null");
            }
            return upload;
        } catch (UnrecognizedPropertyException e) {
            if ("tenant".equals(e.getPropertyName())) {
                throw new ContractViolationException("tenant",
                        "must not be sent: the tenant is always the one of the caller's token");
            }
            throw new ContractViolationException(path(e), "is not a known property", e);
        } catch (StreamReadException e) {
            throw new ContractViolationException("$", "is not well-formed JSON: " + shorten(e.getOriginalMessage()), e);
        } catch (MismatchedInputException e) {
            throw new ContractViolationException(path(e), "has the wrong type", e);
        } catch (JacksonException e) {
            throw new ContractViolationException(path(e), "could not be read: " + shorten(e.getOriginalMessage()), e);
        }
    }

    private static Content content(String text, String base64, String reference) {
        Content content;
        try {
            content = new Content(text, base64, reference);
        } catch (ContractViolationException e) {
            throw "$".equals(e.field()) ? new ContractViolationException("content",
                    "send exactly one of 'text', 'base64' and 'reference'") : e;
        }
        if (content.kind() == Content.Kind.REFERENCE) {
            String scheme = content.referenceUri().getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("file")) {
                // A file: reference reads the service's own disk; only producers on Kafka, trusted by the operator, may.
                throw new ContractViolationException("reference", "must not be a file: URI over HTTP; upload the file");
            }
            if (scheme.equals(UploadReference.SCHEME)) {
                // upload: references are this API's own, made for the file a multipart request carried.
                throw new ContractViolationException("reference", "must not be an upload: URI; upload the file");
            }
        }
        return content;
    }

    private static List<String> acl(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).toList();
    }

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(shorten(reference.getPropertyName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "$" : path.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** Echoed input is cut short and stripped of control characters, so it cannot forge log lines. */
    private static String shorten(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder safe = new StringBuilder();
        value.codePoints().limit(100).forEach(c -> safe.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return safe.toString();
    }
}
