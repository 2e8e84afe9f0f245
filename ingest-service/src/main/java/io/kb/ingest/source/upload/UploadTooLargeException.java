package io.kb.ingest.source.upload;

/** The content of an upload is larger than the store was allowed to keep; nothing of it was kept. */
public final class UploadTooLargeException extends RuntimeException {

    private final long maxBytes;

    public UploadTooLargeException(long maxBytes) {
        super("the upload is larger than " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** The limit that was passed. */
    public long maxBytes() {
        return maxBytes;
    }
}
