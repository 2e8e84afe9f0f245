package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ServiceSecurityPropertiesTest {

    @Test
    void defaultsToTheGatewaysClaimsAndNoOpenPaths() {
        ServiceSecurityProperties properties = bind(Map.of());

        assertThat(properties.tenantClaim()).isEqualTo("tenant");
        assertThat(properties.groupsClaim()).isEqualTo("groups");
        assertThat(properties.audience()).isEqualTo("kb");
        assertThat(properties.issuer()).isNull();
        assertThat(properties.openPaths()).isEmpty();
    }

    @Test
    void bindsAProvidersClaimNamesAndOpenPaths() {
        ServiceSecurityProperties properties = bind(Map.of(
                "kb.security.tenant-claim", "org",
                "kb.security.groups-claim", "roles",
                "kb.security.issuer", "https://login.example.com",
                "kb.security.open-paths", "/v1/models,/docs/**"));

        assertThat(properties.tenantClaim()).isEqualTo("org");
        assertThat(properties.groupsClaim()).isEqualTo("roles");
        assertThat(properties.issuer()).isEqualTo("https://login.example.com");
        assertThat(properties.openPaths()).isEqualTo(List.of("/v1/models", "/docs/**"));
    }

    @Test
    void rejectsABlankClaimNameAndARelativeOpenPath() {
        assertThatThrownBy(() -> bind(Map.of("kb.security.tenant-claim", " ")))
                .isInstanceOf(BindException.class).hasStackTraceContaining("kb.security.tenant-claim");
        assertThatThrownBy(() -> bind(Map.of("kb.security.open-paths", "v1/models")))
                .isInstanceOf(BindException.class).hasStackTraceContaining("must start with '/'");
    }

    private static ServiceSecurityProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("kb.security", ServiceSecurityProperties.class);
    }
}
