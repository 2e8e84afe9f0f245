package io.kb.retrieval.index.milvus;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Milvus could not be reached in time, or refused a call: the chunk index cannot be read or written now. Trying
 * again later may help; the readiness check says when.
 */
public class MilvusUnavailableException extends UncheckedIOException {

    /**
     * @param message what was being done and why it failed; never a credential
     * @param cause the client's exception
     */
    public MilvusUnavailableException(String message, Throwable cause) {
        super(message, new IOException(cause == null ? message : cause.getMessage(), cause));
    }
}
