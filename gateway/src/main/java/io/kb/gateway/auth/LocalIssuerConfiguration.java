package io.kb.gateway.auth;

import java.time.Clock;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The built-in issuer of the {@code local} profile: its signing key, the tokens it signs, and the decoder
 * that checks them with that same key in memory (no call to its own JWKS endpoint). Its decoder takes the
 * place of the one Spring Boot would build from {@code spring.security.oauth2.resourceserver.jwt.*}.
 *
 * <p>It refuses to run under the {@code cluster} profile: there the users would be the demo accounts and the
 * key a file on one pod's disk.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("kb.gateway.local-issuer.enabled")
class LocalIssuerConfiguration {

    static final String REFUSED_IN_CLUSTER = "kb.gateway.local-issuer.enabled is true under the 'cluster' profile. "
            + "The local issuer signs tokens for demo users with a key on local disk and is for development "
            + "only. Unset KB_GATEWAY_LOCAL_ISSUER_ENABLED (or kb.gateway.local-issuer.enabled) and point "
            + "KB_OIDC_ISSUER_URI at your OIDC provider.";

    LocalIssuerConfiguration(Environment environment) {
        if (environment.acceptsProfiles(Profiles.of("cluster"))) {
            throw new IllegalStateException(REFUSED_IN_CLUSTER);
        }
    }

    @Bean
    LocalSigningKey localSigningKey(LocalIssuerProperties properties) {
        return LocalSigningKey.loadOrCreate(properties.keyFile());
    }

    @Bean
    LocalTokenIssuer localTokenIssuer(LocalIssuerProperties properties, AuthProperties auth, LocalSigningKey key) {
        return new LocalTokenIssuer(properties, auth, key, Clock.systemUTC());
    }

    @Bean
    ReactiveJwtDecoder localIssuerJwtDecoder(LocalIssuerProperties properties, LocalSigningKey key,
            PlatformClaimsValidator platformClaims) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withPublicKey(key.publicKey())
                .signatureAlgorithm(SignatureAlgorithm.RS256)
                .build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
                List.of(new JwtIssuerValidator(properties.issuer()), platformClaims)));
        return decoder;
    }
}
