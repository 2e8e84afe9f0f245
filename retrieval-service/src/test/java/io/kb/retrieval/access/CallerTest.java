package io.kb.retrieval.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void holdsTheUserTheGroupsAndPublic() {
        Caller caller = Caller.of("acme", "alice", List.of("eng", "sales"));

        assertThat(caller.tenant()).isEqualTo("acme");
        assertThat(caller.principals()).containsExactly("user:alice", "group:eng", "group:sales", "public");
    }

    @Test
    void rejectsABlankOrMalformedTenant() {
        assertThatThrownBy(() -> new Caller(" ", List.of("public")))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("tenant");
        assertThatThrownBy(() -> new Caller(null, List.of("public")))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("tenant");
        assertThatThrownBy(() -> new Caller("Acme/Other", List.of("public")))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("tenant");
    }

    @Test
    void rejectsNoPrincipals() {
        assertThatThrownBy(() -> new Caller("acme", List.of()))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("principals");
        assertThatThrownBy(() -> new Caller("acme", null))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("principals");
    }

    @Test
    void rejectsAMalformedPrincipal() {
        List<String> withNull = new ArrayList<>(List.of("public"));
        withNull.add(null);
        assertThatThrownBy(() -> new Caller("acme", List.of("public", "admin")))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("principals[1]");
        assertThatThrownBy(() -> new Caller("acme", withNull))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("principals[1]");
        assertThatThrownBy(() -> new Caller("acme", List.of("group:")))
                .isInstanceOf(ContractViolationException.class);
    }

    @Test
    void dropsRepeatedPrincipalsAndCannotBeChangedLater() {
        List<String> principals = new ArrayList<>(List.of("group:eng", "group:eng", "public"));
        Caller caller = new Caller("acme", principals);
        principals.add("group:board");

        assertThat(caller.principals()).containsExactly("group:eng", "public");
        assertThatThrownBy(() -> caller.principals().add("group:board")).isInstanceOf(UnsupportedOperationException.class);
    }
}
