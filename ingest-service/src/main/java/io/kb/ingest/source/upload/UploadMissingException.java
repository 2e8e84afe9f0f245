package io.kb.ingest.source.upload;

/** The store does not hold the upload that a reference names: it was never stored, or it was released or expired. */
public final class UploadMissingException extends RuntimeException {

    public UploadMissingException(UploadReference reference) {
        super("the upload " + reference + " is not stored (any more)");
    }
}
