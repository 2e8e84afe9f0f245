package io.kb.contracts.event;

/** What a document event or chunk batch does to the document it names. */
public enum Operation {

    /** Adds the document, or replaces it when the version is not older than the one held. */
    UPSERT,

    /** Removes the document and all its chunks, when the version is not older than the one held. */
    DELETE
}
