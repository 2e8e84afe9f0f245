package io.kb.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ServiceDefaultsEnvironmentPostProcessorTest {

    private final ServiceDefaultsEnvironmentPostProcessor processor = new ServiceDefaultsEnvironmentPostProcessor();

    @Test
    void suppliesTheSharedManagementDefaults() {
        StandardEnvironment env = new StandardEnvironment();

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("management.endpoints.web.exposure.include")).isEqualTo("health,info,prometheus");
        assertThat(env.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
        assertThat(env.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
        assertThat(env.getProperty("logging.pattern.level")).contains("%X{requestId");
        assertThat(env.getProperty("logging.structured.format.console")).isNull();
    }

    @Test
    void aServicesOwnSettingWinsOverTheDefault() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("service",
                Map.of("management.endpoint.health.show-details", "always")));

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("management.endpoint.health.show-details")).isEqualTo("always");
    }

    @Test
    void theClusterProfileLogsJsonLines() {
        StandardEnvironment env = new StandardEnvironment();
        env.setActiveProfiles("cluster");

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(env.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
    }

    @Test
    void theLocalProfileTakesTokensFromTheGateway() {
        StandardEnvironment env = new StandardEnvironment();
        env.setActiveProfiles("local");

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri"))
                .isEqualTo("http://127.0.0.1:8080/.well-known/jwks.json");
        assertThat(env.getProperty("kb.security.issuer")).isEqualTo("http://127.0.0.1:8080");
        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")).isNull();
        assertThat(env.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
    }

    @Test
    void noProfileLeavesTheKeySourceUnset() {
        StandardEnvironment env = new StandardEnvironment();

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")).isNull();
        assertThat(env.getProperty("kb.security.issuer")).isNull();
    }

    @Test
    void aServiceCanPointTheLocalProfileElsewhere() {
        StandardEnvironment env = new StandardEnvironment();
        env.setActiveProfiles("local");
        env.getPropertySources().addFirst(new MapPropertySource("service",
                Map.of("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "http://127.0.0.1:9999/jwks")));

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri"))
                .isEqualTo("http://127.0.0.1:9999/jwks");
    }

    @Test
    void theClusterProfileTakesTokensFromTheOidcIssuer() {
        StandardEnvironment env = new StandardEnvironment();
        env.setActiveProfiles("cluster");
        env.getPropertySources().addFirst(new MapPropertySource("env",
                Map.of("KB_OIDC_ISSUER_URI", "https://login.example.com/realms/kb")));

        processor.postProcessEnvironment(env, new SpringApplication());

        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri"))
                .isEqualTo("https://login.example.com/realms/kb");
        assertThat(env.getProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")).isNull();
    }
}
