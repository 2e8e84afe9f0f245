package io.kb.ingest.source.upload;

import java.io.InputStream;
import java.time.Instant;

/**
 * Port: where the documents API keeps an uploaded file that is too large to travel inside its event, until the
 * pipeline has read it. The event carries the {@link UploadReference}; the fetch stage opens it; the store forgets it
 * once the document version is settled (indexed, deleted or superseded), or when it is older than the configured
 * age, so that it does not grow forever.
 *
 * <p>Adapters: {@link FileSystemUploadStore} (a folder; in a cluster, a volume that every ingest-service instance
 * mounts), an object store later. Every adapter passes {@code UploadStoreContract}. Writes are atomic: a reader sees a
 * whole upload or none, never a part of one.
 */
public interface UploadStore {

    /**
     * Stores the bytes of one document version, reading the stream to its end without holding it in memory.
     *
     * @param maxBytes the most bytes accepted; past it nothing is kept
     * @return the reference to put into the event
     * @throws UploadTooLargeException when the content is larger than {@code maxBytes}
     * @throws java.io.UncheckedIOException when the store cannot be written
     */
    UploadReference put(String tenant, String documentId, long version, InputStream content, long maxBytes);

    /**
     * The stored bytes; the caller closes the stream.
     *
     * @throws UploadMissingException when the store does not hold it (never stored, released or expired)
     */
    InputStream open(UploadReference reference);

    /** Forgets one upload; nothing happens when it is not stored. */
    void delete(UploadReference reference);

    /**
     * Forgets every upload of a document whose version is {@code version} or older, once that version is settled.
     *
     * @return how many uploads were removed
     */
    int release(String tenant, String documentId, long version);

    /**
     * Forgets every upload, and every unfinished write, stored before the given time.
     *
     * @return how many were removed
     */
    int expire(Instant storedBefore);
}
