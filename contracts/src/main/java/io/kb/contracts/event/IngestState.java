package io.kb.contracts.event;

/** Where a document version stands in ingestion, as {@link IngestStatus} reports it. */
public enum IngestState {

    /** ingest-service has taken the event and started on it. */
    RECEIVED,

    /** The document's chunks are searchable. */
    INDEXED,

    /** The document could not be ingested; the status says why and at which stage. */
    FAILED,

    /** The document and its chunks are removed. */
    DELETED
}
