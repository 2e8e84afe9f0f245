package io.kb.service.security;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Bearer-token security for the platform's Spring MVC services: every request needs a valid JWT except the
 * probes, the metrics and the paths a service opens in {@code kb.security.open-paths}; refusals are RFC 9457
 * problems; controllers get the caller as an {@link AuthenticatedCaller} parameter.
 *
 * <p>The decoder is Boot's: it adds every {@link OAuth2TokenValidator} bean (audience, issuer, the caller's
 * claims) to signature and expiry checks. With {@code jwk-set-uri} the keys are fetched at the first request
 * that carries a token, and with {@code issuer-uri} the discovery waits until then too, so a service starts
 * while the gateway or the OIDC provider is still down. The gateway (WebFlux) does not get any of this.
 */
// Before Boot's security auto-configurations: their default chain and in-memory user back off once ours exists.
@AutoConfiguration(beforeName = {
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ServiceSecurityProperties.class)
public class ServletSecurityAutoConfiguration {

    /** Paths that every service serves without a token: probes, build info, metrics and the error page. */
    static final List<String> ALWAYS_OPEN = List.of(
            "/actuator/health/**", "/actuator/info", "/actuator/prometheus", "/error");

    static final String NO_DECODER = "No bearer-token decoder is configured, so this service could not check a "
            + "single token. Set spring.security.oauth2.resourceserver.jwt.jwk-set-uri or issuer-uri (the 'local' "
            + "profile points at the gateway, 'cluster' reads KB_OIDC_ISSUER_URI), or define a JwtDecoder bean.";

    @Bean
    OAuth2TokenValidator<Jwt> kbAudienceValidator(ServiceSecurityProperties properties) {
        String audience = properties.audience();
        return new JwtClaimValidator<List<String>>(JwtClaimNames.AUD, aud -> aud != null && aud.contains(audience));
    }

    // Without kb.security.issuer this accepts every issuer: with issuer-uri, Boot checks iss itself.
    @Bean
    OAuth2TokenValidator<Jwt> kbIssuerValidator(ServiceSecurityProperties properties) {
        if (properties.issuer() == null) {
            return token -> OAuth2TokenValidatorResult.success();
        }
        return new JwtIssuerValidator(properties.issuer());
    }

    @Bean
    OAuth2TokenValidator<Jwt> kbSubjectValidator(ServiceSecurityProperties properties) {
        return new CallerClaims(properties).subjectValidator();
    }

    @Bean
    OAuth2TokenValidator<Jwt> kbTenantClaimValidator(ServiceSecurityProperties properties) {
        return new CallerClaims(properties).tenantValidator();
    }

    @Bean
    OAuth2TokenValidator<Jwt> kbGroupsClaimValidator(ServiceSecurityProperties properties) {
        return new CallerClaims(properties).groupsValidator();
    }

    @Bean
    SecurityFilterChain kbSecurityFilterChain(HttpSecurity http, ServiceSecurityProperties properties,
            ObjectProvider<JwtDecoder> decoders, ObjectProvider<MeterRegistry> meters,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) throws Exception {
        JwtDecoder issuerDecoder = decoders.getIfAvailable();
        if (issuerDecoder == null) {
            throw new IllegalStateException(NO_DECODER);
        }
        JwtDecoder decoder = remembering(issuerDecoder, properties.tokenCache(), meters.getIfAvailable());
        // Boot's issuer-uri decoder runs OIDC discovery at the first token and, when the issuer is unreachable,
        // throws an exception that is no JwtException and would escape the chain as a bare 500. As a JwtException
        // it becomes an AuthenticationServiceException, which ProblemDetailsHandler answers with a 502 problem.
        JwtDecoder lazyDecoder = token -> {
            try {
                return decoder.decode(token);
            } catch (JwtDecoderInitializationException e) {
                throw new JwtException("cannot reach the token issuer: "
                        + NestedExceptionUtils.getMostSpecificCause(e).getMessage(), e);
            }
        };
        SecurityProblemHandler problems = new SecurityProblemHandler(resolver);
        return http
                // Bearer tokens only: no cookies, so no CSRF, no session, no login form.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(requests -> {
                    requests.requestMatchers(ALWAYS_OPEN.toArray(String[]::new)).permitAll();
                    if (!properties.openPaths().isEmpty()) {
                        requests.requestMatchers(properties.openPaths().toArray(String[]::new)).permitAll();
                    }
                    requests.anyRequest().authenticated();
                })
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        .jwt(jwt -> jwt.decoder(lazyDecoder))
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(problems);
                                return filter;
                            }
                        }))
                .build();
    }

    /** The decoder with {@link VerifiedTokens} in front, unless the cache is switched off. */
    static JwtDecoder remembering(JwtDecoder decoder, ServiceSecurityProperties.TokenCache settings,
            MeterRegistry meters) {
        if (!settings.enabled()) {
            return decoder;
        }
        VerifiedTokens tokens = VerifiedTokens.create(settings.ttl(), settings.maxSize());
        if (meters != null) {
            tokens.monitor(meters, "kb.security.token.cache");
        }
        return tokens.inFrontOf(decoder);
    }

    @Bean
    WebMvcConfigurer kbAuthenticatedCallerResolver(ServiceSecurityProperties properties) {
        HandlerMethodArgumentResolver resolver = new AuthenticatedCallerArgumentResolver(properties);
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(resolver);
            }
        };
    }
}
