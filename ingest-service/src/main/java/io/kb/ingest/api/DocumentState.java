package io.kb.ingest.api;

import java.time.Instant;

import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;

/**
 * The latest known state of a document, as {@code kb.ingest.status.v1} last reported it.
 *
 * @param documentId the document's id
 * @param version    the version the state is about
 * @param state      {@code RECEIVED}, {@code INDEXED}, {@code FAILED} or {@code DELETED}
 * @param chunkCount how many chunks are indexed, when known
 * @param stage      where it happened (such as {@code parse} for a failure), when known
 * @param reason     why it failed, for a {@code FAILED} state
 * @param updatedAt  when the document reached this state
 */
public record DocumentState(String documentId, long version, IngestState state, Integer chunkCount, String stage,
        String reason, Instant updatedAt) {

    static DocumentState of(IngestStatus status) {
        return new DocumentState(status.documentId(), status.version(), status.state(), status.chunkCount(),
                status.stage(), status.reason(), status.occurredAt());
    }
}
