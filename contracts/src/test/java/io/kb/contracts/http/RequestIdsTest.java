package io.kb.contracts.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "trace:1.2_3"})
    void acceptsShortIdsOfSafeCharacters(String id) {
        assertThat(RequestIds.isAcceptable(id)).isTrue();
        assertThat(RequestIds.acceptOrCreate(id)).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "line\nbreak", "cr\rlf", "<script>", "quote\"", "ümlaut", "semi;colon"})
    void replacesIdsThatCouldInjectIntoLogs(String id) {
        assertThat(RequestIds.isAcceptable(id)).isFalse();
        assertThat(RequestIds.acceptOrCreate(id)).isNotEqualTo(id).matches("[0-9a-f]{32}");
    }

    @Test
    void acceptsAtMost128Characters() {
        assertThat(RequestIds.isAcceptable("a".repeat(128))).isTrue();
        assertThat(RequestIds.isAcceptable("a".repeat(129))).isFalse();
    }

    @Test
    void createsAnIdWhenThereIsNone() {
        assertThat(RequestIds.acceptOrCreate(null)).matches("[0-9a-f]{32}");
    }

    @Test
    void newIdsAreThirtyTwoHexCharactersAndDiffer() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = RequestIds.newId();
            assertThat(id).matches("[0-9a-f]{32}");
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }
}
