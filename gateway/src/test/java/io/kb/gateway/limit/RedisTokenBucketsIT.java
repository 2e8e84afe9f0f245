package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis adapter against a real {@code redis-server}, started on a free loopback port without persistence. Where
 * the binary is missing the tests are skipped and say so; on Debian, {@code apt-get install redis-server}.
 */
class RedisTokenBucketsIT extends TokenBucketsContract {

    static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");

    static Process server;
    static RedisClient client;
    static StatefulRedisConnection<byte[], byte[]> connection;
    static RedisTokenBuckets buckets;

    @BeforeAll
    static void startRedis() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(REDIS_SERVER),
                "redis-server is not installed at " + REDIS_SERVER + " (apt-get install redis-server); "
                        + "the Redis rate-limit backend is not tested here");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        server = new ProcessBuilder(REDIS_SERVER.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        client = RedisClient.create(RedisURI.create("127.0.0.1", port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection == null) {
            try {
                connection = client.connect(ByteArrayCodec.INSTANCE);
            } catch (RuntimeException notYet) {
                if (System.nanoTime() > deadline || !server.isAlive()) {
                    throw new IOException("redis-server did not come up on port " + port, notYet);
                }
                Thread.sleep(50);
            }
        }
        buckets = new RedisTokenBuckets(connection, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
        if (server != null) {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Override
    TokenBuckets buckets() {
        return buckets;
    }

    @Test
    void keepsItsBucketsUnderItsPrefixWithAnExpiry() {
        buckets.take("user:t:someone", THREE_PER_HOUR).block();

        byte[] key = (RedisTokenBuckets.PREFIX + "user:t:someone").getBytes();
        assertThat(connection.sync().exists(key)).isEqualTo(1);
        assertThat(connection.sync().pttl(key)).isPositive();
    }
}
