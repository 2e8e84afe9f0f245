package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void allListsEveryTopicOnce() {
        assertThat(Topics.ALL).containsExactlyInAnyOrder(
                "kb.documents.v1", "kb.chunks.v1", "kb.ingest.status.v1", "kb.documents.dlq.v1", "kb.chunks.dlq.v1");
    }

    @Test
    void everyTopicNameCarriesItsFormatVersion() {
        assertThat(Topics.ALL).allSatisfy(topic -> assertThat(topic).matches("kb(\\.[a-z]+)+\\.v[0-9]+"));
    }
}
