package io.kb.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kb.service.security.VerifiedTokens;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The edge's cache in front of a real Nimbus decoder with a real RSA key: it must spare the signature check for a
 * token seen before and never accept what the decoder refuses. Expiry and ttl are {@code VerifiedTokensTest}'s.
 */
class VerifiedTokenCacheTest {

    private static RSAKey signingKey;
    private static RSAKey otherKey;

    private final AtomicInteger verifications = new AtomicInteger();
    private ReactiveJwtDecoder issuerDecoder;
    private VerifiedTokens tokens;

    @BeforeAll
    static void keys() throws JOSEException {
        signingKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
    }

    @BeforeEach
    void decoder() throws JOSEException {
        NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withPublicKey(signingKey.toRSAPublicKey()).build();
        nimbus.setJwtValidator(new JwtTimestampValidator(Duration.ZERO));
        issuerDecoder = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
    }

    @Test
    void aTokenSeenBeforeIsNotVerifiedAgain() {
        VerifiedTokenCache cache = cache(Duration.ofMinutes(5), 100);
        String token = token(signingKey, "ann", Duration.ofHours(1));

        Jwt first = cache.decode(token).block();
        Jwt second = cache.decode(token).block();

        assertThat(second.getSubject()).isEqualTo("ann");
        assertThat(second.getClaims()).isEqualTo(first.getClaims());
        assertThat(verifications).hasValue(1);
    }

    @Test
    void twoTokensNeverShareAnEntry() {
        VerifiedTokenCache cache = cache(Duration.ofMinutes(5), 100);
        String ann = token(signingKey, "ann", Duration.ofHours(1));
        String bob = token(signingKey, "bob", Duration.ofHours(1));

        assertThat(cache.decode(ann).block().getSubject()).isEqualTo("ann");
        assertThat(cache.decode(bob).block().getSubject()).isEqualTo("bob");
        assertThat(cache.decode(ann).block().getSubject()).isEqualTo("ann");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aForgedTokenIsRefusedEveryTimeAndNeverRemembered() {
        VerifiedTokenCache cache = cache(Duration.ofMinutes(5), 100);
        String forged = token(otherKey, "mallory", Duration.ofHours(1));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> cache.decode(forged).block()).isInstanceOf(JwtException.class);
        }
        assertThat(verifications).hasValue(3);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void aZeroTtlSwitchesTheCacheOff() {
        ReactiveJwtDecoder decoder = VerifiedTokenCache.wrap(issuerDecoder,
                new AuthProperties.TokenCache(Duration.ZERO, 100), new SimpleMeterRegistry());
        String token = token(signingKey, "ann", Duration.ofHours(1));

        decoder.decode(token).block();
        decoder.decode(token).block();

        assertThat(decoder).isSameAs(issuerDecoder);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aNegativeTtlIsRefused() {
        assertThatThrownBy(() -> new AuthProperties.TokenCache(Duration.ofSeconds(-1), 100))
                .hasMessageContaining("kb.gateway.auth.token-cache.ttl");
    }

    private VerifiedTokenCache cache(Duration ttl, long maxSize) {
        tokens = VerifiedTokens.create(ttl, maxSize);
        return new VerifiedTokenCache(issuerDecoder, tokens);
    }

    private String token(RSAKey key, String subject, Duration validFor) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .audience(List.of("kb"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validFor)))
                .claim("tenant", "aurora")
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
