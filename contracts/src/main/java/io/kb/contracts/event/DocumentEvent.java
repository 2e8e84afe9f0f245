package io.kb.contracts.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Topics;

/**
 * The value of {@link Topics#DOCUMENTS}: a document added, replaced or removed by the system that owns
 * it. This is the public ingestion contract; the JSON Schema {@code document-event.v1.schema.json}
 * says the same for producers in other languages.
 *
 * <p>An {@link Operation#UPSERT} carries the content and the ACL; a {@link Operation#DELETE} carries
 * neither. Consumers apply an event only when its version is not older than the one they hold, so
 * producers increase the version with every change and may redeliver freely.
 *
 * @param schemaVersion the value format; must be {@value #SCHEMA_VERSION}
 * @param operation {@code UPSERT} or {@code DELETE}
 * @param tenant the tenant that owns the document: {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param documentId the producer's id of the document, unique within the tenant: 1 to 512 characters
 *        without control characters; {@code /} is allowed
 * @param version the document version, zero or greater, increasing with every change
 * @param title the title to show in citations; optional, at most 1000 characters
 * @param source where the document came from, such as a URL or the name of a system; optional, at most
 *        2048 characters
 * @param mediaType one of {@link io.kb.contracts.SupportedMediaTypes}, parameters allowed; optional, and
 *        absent or {@code application/octet-stream} means "detect from the content"
 * @param acl the principals that may read the document ({@code public}, {@code user:<id>},
 *        {@code group:<name>}): 1 to 256 distinct entries for an upsert, absent or empty for a delete
 * @param metadata free key-value pairs kept with the chunks; optional, at most 64 entries, keys
 *        {@code [A-Za-z0-9_.-]{1,64}}, values at most 2048 characters
 * @param content the document itself; required for an upsert, absent for a delete
 * @param occurredAt when the change happened at the source; optional
 */
public record DocumentEvent(
        @JsonSetter(nulls = Nulls.FAIL) int schemaVersion,
        Operation operation,
        String tenant,
        String documentId,
        @JsonSetter(nulls = Nulls.FAIL) long version,
        String title,
        String source,
        String mediaType,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> acl,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> metadata,
        Content content,
        Instant occurredAt) implements ContractEvent {

    /** The only {@code schemaVersion} of this format. */
    public static final int SCHEMA_VERSION = 1;

    /** The longest title, in characters. */
    public static final int TITLE_MAX_LENGTH = 1000;

    /** The longest source, in characters. */
    public static final int SOURCE_MAX_LENGTH = 2048;

    /** Checks every rule above; collections become unmodifiable copies, and absent ones empty. */
    public DocumentEvent {
        FieldRules.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        FieldRules.requirePresent("operation", operation);
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
        FieldRules.requireVersion(version);
        FieldRules.optionalText("title", title, TITLE_MAX_LENGTH);
        FieldRules.optionalText("source", source, SOURCE_MAX_LENGTH);
        FieldRules.optionalMediaType(mediaType);
        metadata = FieldRules.metadata(metadata);
        switch (operation) {
            case UPSERT -> {
                acl = FieldRules.requireAcl(acl);
                FieldRules.requirePresent("content", content);
            }
            case DELETE -> {
                acl = FieldRules.requireEmpty("acl", acl, "for a DELETE");
                if (content != null) {
                    throw new ContractViolationException("content", "must be absent for a DELETE");
                }
            }
        }
    }

    /**
     * An event that adds or replaces a document.
     *
     * @param tenant the tenant that owns the document
     * @param documentId the producer's id of the document
     * @param version the document version
     * @param title the title, or {@code null}
     * @param mediaType the media type, or {@code null} to detect it from the content
     * @param acl the principals that may read the document
     * @param metadata free key-value pairs, or {@code null}
     * @param content the document
     * @return the event, without source or time (see {@link #withSource} and {@link #withOccurredAt})
     */
    public static DocumentEvent upsert(String tenant, String documentId, long version, String title, String mediaType,
            List<String> acl, Map<String, String> metadata, Content content) {
        return new DocumentEvent(SCHEMA_VERSION, Operation.UPSERT, tenant, documentId, version, title, null, mediaType,
                acl, metadata, content, null);
    }

    /**
     * An event that removes a document.
     *
     * @param tenant the tenant that owns the document
     * @param documentId the producer's id of the document
     * @param version the version of the removal, so that an older upsert that arrives late loses
     * @return the event
     */
    public static DocumentEvent delete(String tenant, String documentId, long version) {
        return new DocumentEvent(SCHEMA_VERSION, Operation.DELETE, tenant, documentId, version, null, null, null,
                null, null, null, null);
    }

    /** This event with {@code source} set. */
    public DocumentEvent withSource(String source) {
        return new DocumentEvent(schemaVersion, operation, tenant, documentId, version, title, source, mediaType,
                acl, metadata, content, occurredAt);
    }

    /** This event with {@code occurredAt} set. */
    public DocumentEvent withOccurredAt(Instant occurredAt) {
        return new DocumentEvent(schemaVersion, operation, tenant, documentId, version, title, source, mediaType,
                acl, metadata, content, occurredAt);
    }

    @Override
    public String topic() {
        return Topics.DOCUMENTS;
    }

    /**
     * Checks that the inline content fits the consumer's limit. The limit belongs to the consumer's
     * configuration, not to the contract; the usual default is 1 MiB ({@code 1_048_576}), in line with
     * Kafka's default largest record of about 1 MB. Base64 grows the bytes by a third on the wire, so
     * producers with large files publish a reference instead.
     *
     * @param maxBytes the most inline bytes accepted (see {@link Content#inlineSizeBytes()})
     * @return this event
     * @throws ContractViolationException naming {@code content} when the inline content is larger
     * @throws IllegalArgumentException when {@code maxBytes} is negative
     */
    public DocumentEvent requireInlineWithin(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be zero or greater, was " + maxBytes);
        }
        if (content != null && content.inlineSizeBytes() > maxBytes) {
            throw new ContractViolationException("content", "inline content is " + content.inlineSizeBytes()
                    + " bytes, over the limit of " + maxBytes + " bytes; publish a 'reference' instead");
        }
        return this;
    }
}
