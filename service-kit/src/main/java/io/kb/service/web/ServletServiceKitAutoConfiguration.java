package io.kb.service.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Request ids and problem details for the platform's Spring MVC services. The gateway (WebFlux) does not
 * get this: it has its own edge filter.
 */
// Before WebMvcAutoConfiguration: its own problem-details handler backs off only if ours is already defined.
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ServletServiceKitAutoConfiguration {

    @Bean
    FilterRegistrationBean<RequestIdFilter> kbRequestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean
    ProblemDetailsHandler kbProblemDetailsHandler() {
        return new ProblemDetailsHandler();
    }
}
