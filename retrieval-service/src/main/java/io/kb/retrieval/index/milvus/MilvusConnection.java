package io.kb.retrieval.index.milvus;

import java.util.concurrent.locks.ReentrantLock;

import io.kb.retrieval.index.IndexProperties;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;

/**
 * The Milvus client, created on first use rather than at start-up: {@link MilvusClientV2}'s constructor connects
 * at once and throws when Milvus is down, and the service must start anyway and report it in readiness. A failed
 * connection is tried again by the next call; a connected client reconnects by itself (gRPC), so it is kept.
 */
final class MilvusConnection implements AutoCloseable {

    /** Retries of one call on UNAVAILABLE (a Milvus restart), all within the request timeout. */
    private static final int MAX_RETRIES = 3;

    private final IndexProperties.Milvus settings;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile MilvusClientV2 client;
    private volatile boolean closed;

    MilvusConnection(IndexProperties.Milvus settings) {
        this.settings = settings;
    }

    /**
     * The client, connecting first when there is none.
     *
     * @throws MilvusUnavailableException when Milvus cannot be reached within the connect timeout, or the
     *         database does not exist
     * @throws IllegalStateException after {@link #close}
     */
    MilvusClientV2 client() {
        MilvusClientV2 connected = client;
        if (connected != null) {
            return connected;
        }
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the Milvus chunk index at " + settings.uri() + " is closed");
            }
            if (client == null) {
                client = connect();
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a client is connected (it may still fail a call while Milvus restarts). */
    boolean isConnected() {
        return client != null;
    }

    /** Where the client connects; the token is never part of it. */
    String target() {
        return settings.uri() + (settings.database().isEmpty() ? "" : " database " + settings.database());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            if (client != null) {
                try {
                    client.close(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    client = null;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private MilvusClientV2 connect() {
        ConnectConfig.ConnectConfigBuilder config = ConnectConfig.builder()
                .uri(settings.uri().toString())
                .connectTimeoutMs(settings.connectTimeout().toMillis())
                .rpcDeadlineMs(settings.requestTimeout().toMillis());
        if (settings.hasToken()) {
            config.token(settings.token());
        }
        if (!settings.database().isEmpty()) {
            config.dbName(settings.database());
        }
        try {
            MilvusClientV2 created = new MilvusClientV2(config.build());
            created.retryConfig(RetryConfig.builder()
                    .maxRetryTimes(MAX_RETRIES)
                    .maxRetryTimeoutMs(settings.requestTimeout().toMillis())
                    .build());
            return created;
        } catch (RuntimeException e) {
            // The message is the server's or gRPC's; neither contains the token.
            throw new MilvusUnavailableException("cannot connect to Milvus at " + target() + ": " + e.getMessage(), e);
        }
    }
}
