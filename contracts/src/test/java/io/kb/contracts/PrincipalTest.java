package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrincipalTest {

    @ParameterizedTest
    @ValueSource(strings = {"public", "user:alice", "user:bob@example.com", "group:hr", "group:人事部", "user:a:b/c",
            "group:x"})
    void acceptsPublicUsersAndGroups(String principal) {
        assertThat(Principal.isValid(principal)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PUBLIC", "public ", "user:", "group:", "role:admin", "user:john doe", "user:tab\there",
            "group:line\nbreak", "user:nbsp\u00a0space", "group:ideographic\u3000space", "alice"})
    void rejectsAnythingElse(String principal) {
        assertThat(Principal.isValid(principal)).isFalse();
    }

    @Test
    void limitsIdsTo256Characters() {
        assertThat(Principal.isValid("user:" + "a".repeat(256))).isTrue();
        assertThat(Principal.isValid("user:" + "a".repeat(257))).isFalse();
    }

    @Test
    void excludesExactlyTheWhitespaceSpaceAndControlCharacters() {
        List<String> disagreements = new ArrayList<>();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (Character.isSurrogate(c)) {
                continue;
            }
            boolean expected = !(Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c));
            if (Principal.isValid("group:" + c) != expected) {
                disagreements.add(String.format("U+%04X", (int) c));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void requireValidNamesTheFieldItWasGiven() {
        assertThatThrownBy(() -> Principal.requireValid("acl[3]", "admins"))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("acl[3]"));
    }

    @Test
    void callerPrincipalsAreUserThenGroupsThenPublic() {
        assertThat(Principal.principalsOf("u", List.of("g1", "g2")))
                .containsExactly("user:u", "group:g1", "group:g2", "public");
    }

    @Test
    void callerPrincipalsListEachGroupOnce() {
        assertThat(Principal.principalsOf("u", List.of("g1", "g2", "g1"))).containsExactly("user:u", "group:g1", "group:g2", "public");
    }

    @Test
    void callerWithoutGroupsHoldsUserAndPublic() {
        assertThat(Principal.principalsOf("u", null)).containsExactly("user:u", "public");
    }

    @Test
    void callerPrincipalsAreUnmodifiable() {
        List<String> principals = Principal.principalsOf("u", List.of("g"));

        assertThatThrownBy(() -> principals.add("group:admins")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void callerPrincipalsNameTheMalformedGroup() {
        assertThatThrownBy(() -> Principal.principalsOf("u", List.of("ok", "has space")))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("groups[1]"));
    }

    @Test
    void callerPrincipalsRequireAUserId() {
        assertThatThrownBy(() -> Principal.principalsOf(" ", List.of()))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("userId"));
    }

    @Test
    void buildsUserAndGroupPrincipals() {
        assertThat(Principal.user("alice")).isEqualTo("user:alice");
        assertThat(Principal.group("hr")).isEqualTo("group:hr");
    }
}
