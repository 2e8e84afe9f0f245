package io.kb.retrieval.index;

/**
 * What {@link ChunkIndex#apply} did with one batch.
 *
 * @param outcome {@code INDEXED}, {@code DELETED} or {@code STALE}
 * @param tenant the batch's tenant
 * @param documentId the batch's document
 * @param version the batch's version
 * @param storedVersion the version the index holds for the document after the call: {@code version},
 *        or for a {@code STALE} batch the newer one that was kept
 * @param chunkCount the number of chunks the document has in the index after the call
 */
public record ApplyResult(Outcome outcome, String tenant, String documentId, long version, long storedVersion,
        int chunkCount) {

    /** The kinds of outcome. */
    public enum Outcome {
        /** The document's chunks were replaced by the batch's (also when the same version came again). */
        INDEXED,
        /** The document was removed; its version is kept so that older batches stay ignored. */
        DELETED,
        /** The batch was older than the version the index holds and changed nothing. */
        STALE
    }

    /** Checks that the outcome is present. */
    public ApplyResult {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome is required");
        }
    }
}
