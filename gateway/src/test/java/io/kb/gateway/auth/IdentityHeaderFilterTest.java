package io.kb.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentityHeaderFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"X-User", "x-user-id", "X-USER-NAME", "X-Tenant", "x-tenant-id", "X-Groups",
        "x-groups-all", "X-Auth-Request-User", "X-Forwarded-User", "x-forwarded-user"})
    void headersThatClaimAnIdentityAreRecognisedInAnyCase(String header) {
        assertThat(IdentityHeaderFilter.claimsIdentity(header)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "Content-Type", "X-Request-Id", "X-Forwarded-For",
        "X-Forwarded-User-Agent", "X-Use", "User-Agent", "X-Tenan", "Accept"})
    void otherHeadersAreLeftAlone(String header) {
        assertThat(IdentityHeaderFilter.claimsIdentity(header)).isFalse();
    }
}
