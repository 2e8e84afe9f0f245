package io.kb.ingest.api;

/**
 * The answer to an accepted upload or delete: the event is on {@code kb.documents.v1}; its progress is at
 * {@code GET /api/v1/documents/{documentId}}.
 *
 * @param documentId the document's id
 * @param version    the version of the published event
 * @param status     always {@code ACCEPTED}: published and acknowledged, not yet processed
 */
public record DocumentAccepted(String documentId, long version, String status) {

    static DocumentAccepted of(String documentId, long version) {
        return new DocumentAccepted(documentId, version, "ACCEPTED");
    }
}
