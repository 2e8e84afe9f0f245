package io.kb.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * For the services' tests against a real broker: records written as any producer writes them, and the records of
 * one tenant read back from the beginning of a topic, as a separate consumer sees them.
 */
public final class KafkaTestTopics {

    private final String brokers;

    public KafkaTestTopics(String brokers) {
        this.brokers = brokers;
    }

    /** Writes one record and waits for the broker's acknowledgement. */
    public void send(String topic, String key, byte[] value) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /**
     * The records of a topic whose key starts with {@code tenant/}, read from the beginning until there are
     * {@code expected} of them (at most a minute) or, for {@code expected == 0}, for five seconds of nothing;
     * fails when the count differs.
     */
    public List<ConsumerRecord<String, byte[]>> read(String topic, String tenant, int expected) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 5 : 60).toNanos();
            while ((expected == 0 || found.size() < expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (r.key() != null && r.key().startsWith(tenant + "/")) {
                        found.add(r);
                    }
                }
            }
        }
        assertThat(found).as(topic + " records of " + tenant).hasSize(expected);
        return found;
    }

    /** A header's value as text, or null. */
    public static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A tenant name no other test uses, to keep tests on one broker apart. */
    public static String uniqueTenant() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
