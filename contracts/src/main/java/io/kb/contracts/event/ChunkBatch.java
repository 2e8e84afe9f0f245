package io.kb.contracts.event;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Topics;

/**
 * The value of {@link Topics#CHUNKS}: every chunk of one document version, with vectors, from
 * ingest-service to the indexer, or the removal of a document. The indexer replaces the document's
 * chunks with these in one step, when the version is not older than the one it holds.
 *
 * <p>The document fields repeat those of the {@link DocumentEvent} so that the indexer needs nothing
 * else; the rules are the same. Beyond what the JSON Schema can say, the batch checks that ordinals
 * run 0..n-1 in order, that every vector has the embedding's dimension, and that every id is
 * {@link ChunkIds#of} for its ordinal, so that no producer can break idempotent writes.
 *
 * @param schemaVersion the value format; must be {@value #SCHEMA_VERSION}
 * @param operation {@code UPSERT} (replace the document's chunks) or {@code DELETE} (remove them)
 * @param tenant the tenant that owns the document
 * @param documentId the producer's id of the document
 * @param version the document version the chunks were made from
 * @param title the document title, for citations; optional
 * @param source where the document came from; optional
 * @param mediaType the media type the document was parsed as; optional
 * @param acl the principals that may read the document: 1 to 256 for an upsert, absent or empty for a delete
 * @param metadata the document's key-value pairs; optional
 * @param embedding the model and dimension of the vectors; required for an upsert, absent for a delete
 * @param chunks the chunks in document order: at least one for an upsert, absent or empty for a delete
 */
public record ChunkBatch(
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
        EmbeddingInfo embedding,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Chunk> chunks) implements ContractEvent {

    /** The only {@code schemaVersion} of this format. */
    public static final int SCHEMA_VERSION = 1;

    /** Checks every rule above; collections become unmodifiable copies, and absent ones empty. */
    public ChunkBatch {
        FieldRules.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        FieldRules.requirePresent("operation", operation);
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
        FieldRules.requireVersion(version);
        FieldRules.optionalText("title", title, DocumentEvent.TITLE_MAX_LENGTH);
        FieldRules.optionalText("source", source, DocumentEvent.SOURCE_MAX_LENGTH);
        FieldRules.optionalMediaType(mediaType);
        metadata = FieldRules.metadata(metadata);
        switch (operation) {
            case UPSERT -> {
                acl = FieldRules.requireAcl(acl);
                FieldRules.requirePresent("embedding", embedding);
                if (chunks == null || chunks.isEmpty()) {
                    throw new ContractViolationException("chunks",
                            "must have at least one chunk for an UPSERT (a document without text fails before this)");
                }
                requireConsistent(tenant, documentId, version, embedding, chunks);
                chunks = List.copyOf(chunks);
            }
            case DELETE -> {
                acl = FieldRules.requireEmpty("acl", acl, "for a DELETE");
                if (embedding != null) {
                    throw new ContractViolationException("embedding", "must be absent for a DELETE");
                }
                chunks = FieldRules.requireEmpty("chunks", chunks, "for a DELETE");
            }
        }
    }

    /**
     * The batch that replaces a document's chunks, with the document fields taken from the event that
     * brought the document.
     *
     * @param document the {@link Operation#UPSERT} event the chunks were made from
     * @param mediaType the media type the document was parsed as (detected, when the event had none)
     * @param embedding the model and dimension of the vectors
     * @param chunks the chunks in document order
     * @return the batch
     * @throws IllegalArgumentException when {@code document} is not an upsert
     */
    public static ChunkBatch upsert(DocumentEvent document, String mediaType, EmbeddingInfo embedding, List<Chunk> chunks) {
        if (document.operation() != Operation.UPSERT) {
            throw new IllegalArgumentException("chunks come from an UPSERT, not a " + document.operation());
        }
        return new ChunkBatch(SCHEMA_VERSION, Operation.UPSERT, document.tenant(), document.documentId(),
                document.version(), document.title(), document.source(), mediaType, document.acl(),
                document.metadata(), embedding, chunks);
    }

    /**
     * The batch that removes a document's chunks.
     *
     * @param tenant the tenant that owns the document
     * @param documentId the producer's id of the document
     * @param version the version of the removal
     * @return the batch
     */
    public static ChunkBatch delete(String tenant, String documentId, long version) {
        return new ChunkBatch(SCHEMA_VERSION, Operation.DELETE, tenant, documentId, version, null, null, null,
                null, null, null, null);
    }

    @Override
    public String topic() {
        return Topics.CHUNKS;
    }

    private static void requireConsistent(String tenant, String documentId, long version, EmbeddingInfo embedding,
            List<Chunk> chunks) {
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            String at = "chunks[" + i + "]";
            if (chunk == null) {
                throw new ContractViolationException(at, "must not be null");
            }
            if (chunk.ordinal() != i) {
                throw new ContractViolationException(at + ".ordinal",
                        "must be " + i + ": ordinals run from 0 in document order, was " + chunk.ordinal());
            }
            if (chunk.dimension() != embedding.dimension()) {
                throw new ContractViolationException(at + ".vector",
                        "must have " + embedding.dimension() + " numbers (embedding.dimension), had " + chunk.dimension());
            }
            if (!chunk.id().equals(ChunkIds.of(tenant, documentId, version, i))) {
                throw new ContractViolationException(at + ".id",
                        "must be ChunkIds.of(tenant, documentId, version, " + i + ") so that redelivery is idempotent");
            }
        }
    }
}
