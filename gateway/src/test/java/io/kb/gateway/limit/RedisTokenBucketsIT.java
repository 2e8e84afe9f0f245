package io.kb.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.kb.service.redis.LocalRedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis adapter against a real {@code redis-server} ({@link LocalRedisServer}), started on a free loopback port
 * without persistence. Where the binary is missing the tests are skipped and say so.
 */
class RedisTokenBucketsIT extends TokenBucketsContract {

    static LocalRedisServer server;
    static RedisClient client;
    static StatefulRedisConnection<byte[], byte[]> connection;
    static RedisTokenBuckets buckets;

    @BeforeAll
    static void startRedis() throws Exception {
        LocalRedisServer.assumeInstalled("the Redis rate-limit backend");
        server = LocalRedisServer.start();
        client = RedisClient.create(RedisURI.create(server.uri()));
        connection = client.connect(ByteArrayCodec.INSTANCE);
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
            server.close();
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
