package io.kb.gateway.auth;

import io.kb.contracts.Principal;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtGrantedAuthoritiesConverterAdapter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The edge's security: the APIs need a valid bearer token (an OAuth2 resource server on JWTs); login, the
 * issuer's public key, the probes, the metrics and the static pages are open; anything else needs a token
 * too, so a route added later is closed until someone opens it. No session, no cookie, no form login: each
 * request stands on its token, so there is no CSRF to guard against.
 *
 * <p>Refusals leave through the edge's problem handler as RFC 9457 problems with the request id and a
 * {@code WWW-Authenticate: Bearer} challenge, never as Spring Security's empty 401.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** Paths that anyone may call. */
    static final String[] OPEN_PATHS = {
        "/auth/**", "/.well-known/jwks.json",
        "/actuator/health", "/actuator/health/**", "/actuator/prometheus", "/actuator/info",
        "/", "/index.html", "/favicon.ico", "/static/**", "/chat/**",
    };

    /** The APIs, which need a token. */
    static final String[] API_PATHS = {"/api/**", "/v1/**"};

    static final String NO_ISSUER = "No token issuer is configured, so the gateway could not check a single token. "
            + "Set spring.security.oauth2.resourceserver.jwt.issuer-uri (KB_OIDC_ISSUER_URI under the cluster "
            + "profile) or jwk-set-uri to your OIDC provider, or run with the local profile, which enables the "
            + "built-in issuer (kb.gateway.local-issuer.enabled=true).";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ObjectProvider<ReactiveJwtDecoder> decoders,
            AuthProperties auth, MeterRegistry meters) {
        ReactiveJwtDecoder issuerDecoder = decoders.getIfAvailable();
        if (issuerDecoder == null) {
            throw new IllegalStateException(NO_ISSUER);
        }
        ReactiveJwtDecoder decoder = VerifiedTokenCache.wrap(issuerDecoder, auth.tokenCache(), meters);
        ServerAuthenticationEntryPoint refuse = SecurityConfiguration::refuse;
        ServerAccessDeniedHandler deny = (exchange, denied) -> Mono.error(AuthProblems.forbidden());
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                // The APIs first: almost every request is one, and each rule passed over costs a match of every
                // pattern it holds. The two sets share no path, so the order decides nothing else.
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers(API_PATHS).authenticated()
                        .pathMatchers(OPEN_PATHS).permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(authenticationConverter(auth)))
                        .authenticationEntryPoint(refuse)
                        .accessDeniedHandler(deny))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(refuse).accessDeniedHandler(deny))
                .build();
    }

    /**
     * A request that Spring Security's firewall rejects (a path with {@code ..}, an encoded slash, a
     * forbidden character) is a 400 problem like any other bad input, not an empty body.
     */
    @Bean
    ServerExchangeRejectedHandler problemExchangeRejectedHandler() {
        return (exchange, rejected) -> {
            log.debug("request rejected by the firewall: {}", rejected.getMessage());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The request's path or headers are not allowed; send a normalized path without encoded "
                            + "slashes, '..' or control characters.");
            problem.setTitle("Rejected request");
            return Mono.error(new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null));
        };
    }

    /**
     * Spring Security's own steps unobserved: otherwise each filter of the chain, the authentication and the
     * authorization of every request run inside Micrometer observations, which cost the edge CPU on every call.
     * No dashboard reads their {@code spring.security.*} meters and no tracer is configured; the access log and
     * {@code kb.gateway.requests} already time each request.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PlatformClaimsValidator platformClaimsValidator(AuthProperties auth) {
        return new PlatformClaimsValidator(auth);
    }

    /** The caller's groups become authorities {@code group:<name>}, the principals of document ACLs. */
    private static ReactiveJwtAuthenticationConverter authenticationConverter(AuthProperties auth) {
        JwtGrantedAuthoritiesConverter groups = new JwtGrantedAuthoritiesConverter();
        groups.setAuthoritiesClaimName(auth.groupsClaim());
        groups.setAuthorityPrefix(Principal.GROUP_PREFIX);
        ReactiveJwtAuthenticationConverter converter = new ReactiveJwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new ReactiveJwtGrantedAuthoritiesConverterAdapter(groups));
        return converter;
    }

    private static Mono<Void> refuse(ServerWebExchange exchange, AuthenticationException reason) {
        if (reason instanceof OAuth2AuthenticationException invalid) {
            // Which check failed stays in the log: telling the caller would help whoever forges tokens.
            log.debug("bearer token refused on {}: {}", exchange.getRequest().getPath(), reason.getMessage());
            return Mono.error(AuthProblems.invalidToken(invalid.getError().getErrorCode()));
        }
        return Mono.error(AuthProblems.missingToken());
    }
}
