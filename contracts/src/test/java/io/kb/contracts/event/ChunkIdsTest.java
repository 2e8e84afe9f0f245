package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;

class ChunkIdsTest {

    @Test
    void matchesTheDocumentedDerivation() {
        // The first 16 bytes of SHA-256 over "acme", "handbook/leave-policy", "3" and "0" joined with U+0000,
        // computed with Python's hashlib.
        assertThat(ChunkIds.of("acme", "handbook/leave-policy", 3, 0)).isEqualTo("c7ab48607e71a94237ca7b98131936f9");
    }

    @Test
    void isThirtyTwoLowerCaseHexCharacters() {
        assertThat(ChunkIds.of("t", "文档/1", Long.MAX_VALUE, Integer.MAX_VALUE)).matches("[0-9a-f]{32}");
    }

    @Test
    void redeliveryProducesTheSameId() {
        assertThat(ChunkIds.of("acme", "doc", 7, 3)).isEqualTo(ChunkIds.of("acme", "doc", 7, 3));
    }

    @Test
    void everyPartChangesTheId() {
        Set<String> ids = new HashSet<>();
        ids.add(ChunkIds.of("acme", "doc", 7, 3));
        ids.add(ChunkIds.of("acmf", "doc", 7, 3));
        ids.add(ChunkIds.of("acme", "dod", 7, 3));
        ids.add(ChunkIds.of("acme", "doc", 8, 3));
        ids.add(ChunkIds.of("acme", "doc", 7, 4));

        assertThat(ids).hasSize(5);
    }

    @Test
    void movingCharactersBetweenPartsChangesTheId() {
        assertThat(ChunkIds.of("ab", "c", 1, 1)).isNotEqualTo(ChunkIds.of("a", "bc", 1, 1));
        assertThat(ChunkIds.of("a", "b1", 1, 1)).isNotEqualTo(ChunkIds.of("a", "b", 11, 1));
        assertThat(ChunkIds.of("a", "b", 1, 11)).isNotEqualTo(ChunkIds.of("a", "b", 11, 1));
    }

    @Test
    void rejectsANegativeOrdinal() {
        assertThatThrownBy(() -> ChunkIds.of("a", "b", 1, -1))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("ordinal"));
    }
}
