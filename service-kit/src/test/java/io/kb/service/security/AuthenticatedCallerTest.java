package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;

class AuthenticatedCallerTest {

    @Test
    void holdsItsUserItsGroupsAndPublicAsPrincipals() {
        AuthenticatedCaller caller = new AuthenticatedCaller("bob", "aurora", List.of("engineering", "it-security"), "Bob");

        assertThat(caller.principals()).containsExactly("user:bob", "group:engineering", "group:it-security", "public");
    }

    @Test
    void keepsACopyOfTheGroups() {
        List<String> groups = new ArrayList<>(List.of("hr"));
        AuthenticatedCaller caller = new AuthenticatedCaller("alice", "aurora", groups, null);

        groups.add("executives");

        assertThat(caller.groups()).containsExactly("hr");
        assertThat(caller.name()).isNull();
    }

    @Test
    void rejectsAMalformedTenant() {
        assertThatThrownBy(() -> new AuthenticatedCaller("alice", "Aurora Corp", List.of(), null))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("tenant"));
        assertThatThrownBy(() -> new AuthenticatedCaller("alice", null, List.of(), null))
                .isInstanceOf(ContractViolationException.class);
    }

    @Test
    void rejectsMissingGroupsAndMalformedNames() {
        assertThatThrownBy(() -> new AuthenticatedCaller("alice", "aurora", null, null))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("groups"));
        assertThatThrownBy(() -> new AuthenticatedCaller("alice", "aurora", List.of("hr", "two words"), null))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("groups[1]"));
        assertThatThrownBy(() -> new AuthenticatedCaller(" ", "aurora", List.of(), null))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("userId"));
    }
}
