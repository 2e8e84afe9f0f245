package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.web.SecurityFilterChain;

class ServletSecurityAutoConfigurationTest {

    @Test
    void leavesReactiveApplicationsAlone() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServletSecurityAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(SecurityFilterChain.class)
                        .doesNotHaveBean(ServiceSecurityProperties.class));
    }

    @Test
    void leavesNonWebApplicationsAlone() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ServletSecurityAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SecurityFilterChain.class));
    }
}
