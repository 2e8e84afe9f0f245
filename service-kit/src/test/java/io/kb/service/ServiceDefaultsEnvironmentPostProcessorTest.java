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
}
