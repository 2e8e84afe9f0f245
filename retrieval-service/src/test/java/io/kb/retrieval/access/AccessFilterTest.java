package io.kb.retrieval.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class AccessFilterTest {

    private final AccessFilter alice = AccessFilter.of(Caller.of("acme", "alice", List.of("eng")));

    @Test
    void permitsAChunkOfTheTenantThatListsOneOfTheCallersPrincipals() {
        assertThat(alice.permits("acme", List.of("group:finance", "group:eng"))).isTrue();
        assertThat(alice.permits("acme", List.of("user:alice"))).isTrue();
        assertThat(alice.permits("acme", List.of("public"))).isTrue();
    }

    @Test
    void deniesAChunkOfAnotherTenantWhateverItsAcl() {
        assertThat(alice.permits("globex", List.of("public", "group:eng", "user:alice"))).isFalse();
    }

    @Test
    void deniesAChunkWhoseAclListsNoneOfTheCallersPrincipals() {
        assertThat(alice.permits("acme", List.of("group:finance", "user:bob"))).isFalse();
        assertThat(alice.permits("acme", List.of())).isFalse();
        assertThat(alice.permits("acme", List.of("group:alice", "user:eng"))).isFalse();
    }
}
