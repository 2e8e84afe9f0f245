package io.kb.cli.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Collectors;

import io.kb.contracts.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void createsEveryContractTopicCompactsTheStatusTopicAndLetsChunkBatchesBeLarge() {
        Map<String, NewTopic> topics = KafkaBroker.topics().stream()
                .collect(Collectors.toMap(NewTopic::name, t -> t));

        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        topics.forEach((name, t) -> {
            assertThat(t.numPartitions()).as(name).isEqualTo(KafkaBroker.PARTITIONS);
            String policy = t.configs() == null ? null : t.configs().get("cleanup.policy");
            assertThat(policy).as(name).isEqualTo(name.equals(Topics.INGEST_STATUS) ? "compact" : null);
            String maxBytes = t.configs() == null ? null : t.configs().get("max.message.bytes");
            assertThat(maxBytes).as(name).isEqualTo(name.equals(Topics.CHUNKS) ? "16777216" : null);
        });
    }
}
