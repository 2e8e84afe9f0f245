package io.kb.inference.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer cache in Redis, shared by every replica: one string key per answer, {@value #PREFIX} and the
 * {@link AnswerKey} digest (a hash, so neither the question nor the asker's principals appear in Redis's keys), with
 * the answer as JSON and the cache's TTL as its expiry. Redis's own {@code maxmemory} policy bounds the whole; an
 * answer larger than {@code max-entry-size} is not stored.
 *
 * <p>Redis is a help, never a dependency. Every command waits at most the configured timeout; while the connection
 * is down, commands fail at once instead of queueing; a lookup that fails throws {@link AnswerCacheException}, which
 * the pipeline counts as {@code kb.inference.cache{result="error"}} before answering as on a miss; a store is sent
 * without waiting and its failure only counted. The first failure after a success is logged as a warning, the
 * recovery as information, with the server's host and port only, never the URI's credentials. The client reconnects
 * by itself; when even the first connection failed, a new one is tried at most once per {@link #RETRY_CONNECT}.
 *
 * <p>Meters: {@code kb.inference.cache.writes{result}} with {@code stored}, {@code too_large} or {@code error}.
 */
public final class RedisAnswerCache implements AnswerCache, AutoCloseable {

    /** The namespace of the keys; the version changes when the stored JSON does. */
    static final String PREFIX = "kb:inference:answer:v1:";

    private static final Duration RETRY_CONNECT = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(RedisAnswerCache.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final String server;
    private final Duration ttl;
    private final Duration timeout;
    private final int maxEntryBytes;
    private final MeterRegistry meters;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final Object connecting = new Object();
    private volatile CompletableFuture<StatefulRedisConnection<String, byte[]>> connection;
    private volatile long lastConnectAttempt;

    /**
     * Creates the client and starts connecting; waits for the connection at most the timeout, so that a server that
     * is down delays the start by that much and no more.
     *
     * @param properties the TTL and {@code redis.*}; {@code redis.uri} must be set
     * @param meters     where the writes are counted
     */
    public RedisAnswerCache(CacheProperties properties, MeterRegistry meters) {
        CacheProperties.Redis redis = properties.redis();
        if (redis.uri() == null) {
            throw new IllegalArgumentException("kb.inference.cache.redis.uri must be set for the Redis answer cache");
        }
        this.server = redis.server();
        this.ttl = properties.ttl();
        this.timeout = redis.timeout();
        this.maxEntryBytes = (int) redis.maxEntrySize().toBytes();
        this.meters = meters;
        this.uri = RedisURI.create(redis.uri());
        uri.setTimeout(timeout);
        // After an outage the client tries again soon: a cache that stays away for Lettuce's default 30 s backoff
        // costs every answer in the meantime.
        this.resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2,
                        TimeUnit.MILLISECONDS))
                .build();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .build());
        CompletableFuture<StatefulRedisConnection<String, byte[]>> first = connect();
        try {
            first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            unreachable("connect", e.getCause());
        } catch (TimeoutException e) {
            unreachable("connect", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Optional<CachedAnswer> get(AnswerKey key) {
        CompletableFuture<byte[]> reply = null;
        byte[] value;
        try {
            reply = connected().async().get(PREFIX + key.digest()).toCompletableFuture();
            value = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw unreachable("lookup", e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            if (reply != null) {
                reply.cancel(true);
            }
            throw unreachable("lookup", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnswerCacheException("interrupted while asking the answer cache", e);
        }
        reachableAgain();
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(value, CachedAnswer.class));
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            // Written by an older or foreign writer: not an outage, and the next answer overwrites it.
            log.warn("answer cache: an entry in Redis at {} could not be read and is ignored: {}", server,
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    @Override
    public void put(AnswerKey key, CachedAnswer answer) {
        byte[] value = json.writeValueAsBytes(answer);
        if (value.length > maxEntryBytes) {
            written("too_large");
            return;
        }
        StatefulRedisConnection<String, byte[]> c;
        try {
            c = connected();
        } catch (AnswerCacheException e) {
            written("error");
            return;
        }
        // Not awaited: the answer is complete and should not wait for the cache. Commands on one connection run in
        // order, so a lookup sent after this store sees it.
        c.async().set(PREFIX + key.digest(), value, SetArgs.Builder.px(ttl.toMillis()))
                .toCompletableFuture()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> {
                    if (failure == null) {
                        reachableAgain();
                        written("stored");
                    } else {
                        unreachable("store", failure);
                        written("error");
                    }
                });
    }

    /** Closes the connection and the client's threads. */
    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> c = connection;
        if (c != null && c.isDone() && !c.isCompletedExceptionally()) {
            c.join().close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "RedisAnswerCache[" + server + "]";
    }

    /** The connection, or a failure at once while there is none; starts a new attempt now and then. */
    private StatefulRedisConnection<String, byte[]> connected() {
        CompletableFuture<StatefulRedisConnection<String, byte[]>> c = connection;
        if (c.isDone() && !c.isCompletedExceptionally()) {
            return c.join();
        }
        if (c.isCompletedExceptionally() && System.nanoTime() - lastConnectAttempt > RETRY_CONNECT.toNanos()) {
            synchronized (connecting) {
                if (connection == c) {
                    connect();
                }
            }
        }
        throw new AnswerCacheException("not connected to the answer cache at " + server, null);
    }

    private CompletableFuture<StatefulRedisConnection<String, byte[]>> connect() {
        lastConnectAttempt = System.nanoTime();
        CompletableFuture<StatefulRedisConnection<String, byte[]>> attempt =
                client.connectAsync(CODEC, uri).toCompletableFuture();
        connection = attempt;
        attempt.whenComplete((c, failure) -> {
            if (failure == null) {
                reachableAgain();
            } else {
                unreachable("connect", failure);
            }
        });
        return attempt;
    }

    private AnswerCacheException unreachable(String operation, Throwable cause) {
        if (reachable.compareAndSet(true, false)) {
            log.warn("answer cache: Redis at {} failed a {} ({}); answering without the cache until it is back",
                    server, operation, describe(cause));
        } else {
            log.debug("answer cache: Redis at {} failed a {} ({})", server, operation, describe(cause));
        }
        return new AnswerCacheException("the answer cache at " + server + " failed a " + operation, cause);
    }

    private void reachableAgain() {
        if (reachable.compareAndSet(false, true)) {
            log.info("answer cache: Redis at {} answers again", server);
        }
    }

    private void written(String result) {
        Counter.builder("kb.inference.cache.writes").description("answers offered to the Redis answer cache")
                .tag("result", result).register(meters).increment();
    }

    /** The failure's class and message, which name host and port at most, never the URI's password. */
    private static String describe(Throwable t) {
        if (t instanceof TimeoutException) {
            return "no reply in time";
        }
        return t == null ? "unknown" : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
