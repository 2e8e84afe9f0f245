package io.kb.contracts.event;

import java.time.Instant;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Topics;

/**
 * The value of {@link Topics#INGEST_STATUS}: where one document version stands, for the UI and the
 * CLI. The topic is compacted by key, so the latest status of each document stays readable.
 *
 * @param schemaVersion the value format; must be {@value #SCHEMA_VERSION}
 * @param tenant the tenant that owns the document
 * @param documentId the producer's id of the document
 * @param version the document version this status is about
 * @param state {@code RECEIVED}, {@code INDEXED}, {@code FAILED} or {@code DELETED}
 * @param reason why the document failed, for a person to read; required and not blank when
 *        {@code FAILED}, otherwise optional (and then not blank either); at most 4096 characters
 * @param chunkCount how many chunks the document has, zero or greater; optional
 * @param stage where it happened, a lower-case name such as those of {@link IngestStages}; optional
 * @param occurredAt when the document reached this state
 */
public record IngestStatus(
        @JsonSetter(nulls = Nulls.FAIL) int schemaVersion,
        String tenant,
        String documentId,
        @JsonSetter(nulls = Nulls.FAIL) long version,
        IngestState state,
        String reason,
        Integer chunkCount,
        String stage,
        Instant occurredAt) implements ContractEvent {

    /** The only {@code schemaVersion} of this format. */
    public static final int SCHEMA_VERSION = 1;

    /** The longest reason, in characters. */
    public static final int REASON_MAX_LENGTH = 4096;

    /** The same expression as the {@code stage} pattern of the JSON Schema. */
    public static final String STAGE_REGEX = "^[a-z][a-z0-9_-]{0,31}$";

    private static final Pattern STAGE = Pattern.compile(STAGE_REGEX);

    /** Checks every rule above. */
    public IngestStatus {
        FieldRules.requireSchemaVersion(schemaVersion, SCHEMA_VERSION);
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
        FieldRules.requireVersion(version);
        FieldRules.requirePresent("state", state);
        if (reason != null || state == IngestState.FAILED) {
            FieldRules.requireNotBlank("reason", reason);
            FieldRules.optionalText("reason", reason, REASON_MAX_LENGTH);
        }
        if (chunkCount != null && chunkCount < 0) {
            throw new ContractViolationException("chunkCount", "must be zero or greater, was " + chunkCount);
        }
        if (stage != null && !STAGE.matcher(stage).matches()) {
            throw new ContractViolationException("stage",
                    "must be 1 to 32 characters of a-z, 0-9, '_' and '-', starting with a letter");
        }
        FieldRules.requirePresent("occurredAt", occurredAt);
    }

    /** ingest-service has taken the document version. */
    public static IngestStatus received(String tenant, String documentId, long version, Instant at) {
        return new IngestStatus(SCHEMA_VERSION, tenant, documentId, version, IngestState.RECEIVED, null, null, null, at);
    }

    /** The document version is searchable, as {@code chunkCount} chunks. */
    public static IngestStatus indexed(String tenant, String documentId, long version, int chunkCount, Instant at) {
        return new IngestStatus(SCHEMA_VERSION, tenant, documentId, version, IngestState.INDEXED, null, chunkCount,
                IngestStages.INDEX, at);
    }

    /** The document version failed at {@code stage} for {@code reason}. */
    public static IngestStatus failed(String tenant, String documentId, long version, String stage, String reason,
            Instant at) {
        return new IngestStatus(SCHEMA_VERSION, tenant, documentId, version, IngestState.FAILED, reason, null, stage, at);
    }

    /** The document is removed. */
    public static IngestStatus deleted(String tenant, String documentId, long version, Instant at) {
        return new IngestStatus(SCHEMA_VERSION, tenant, documentId, version, IngestState.DELETED, null, 0, null, at);
    }

    @Override
    public String topic() {
        return Topics.INGEST_STATUS;
    }
}
