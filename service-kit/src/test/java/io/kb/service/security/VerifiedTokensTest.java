package io.kb.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Remembered tokens in front of a real Nimbus decoder with a real RSA key, on a clock the test moves: a token
 * seen before skips verification until its ttl or its expiry, whichever comes first, and what the decoder
 * refuses is never remembered.
 */
class VerifiedTokensTest {

    private static final RSAKey KEY = TestIssuer.newKey();

    private final MovableClock clock = new MovableClock(Instant.parse("2026-11-23T12:00:00Z"));
    private final AtomicInteger verifications = new AtomicInteger();
    private JwtDecoder issuerDecoder;

    @BeforeEach
    void decoder() throws JOSEException {
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey(KEY.toRSAPublicKey()).build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        nimbus.setJwtValidator(timestamps);
        issuerDecoder = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
    }

    @Test
    void aServiceVerifiesAKnownTokenOnce() {
        JwtDecoder decoder = remembering(Duration.ofMinutes(5));
        String token = token(KEY, "ann", Duration.ofHours(1));

        assertThat(decoder.decode(token).getSubject()).isEqualTo("ann");
        assertThat(decoder.decode(token).getSubject()).isEqualTo("ann");
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aForgedTokenIsVerifiedAndRefusedEveryTime() {
        JwtDecoder decoder = remembering(Duration.ofMinutes(5));
        String forged = token(TestIssuer.newKey(), "mallory", Duration.ofHours(1));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(JwtException.class);
        }
        assertThat(verifications).hasValue(3);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() {
        JwtDecoder decoder = remembering(Duration.ofMinutes(5));
        String token = token(KEY, "ann", Duration.ofSeconds(30));
        decoder.decode(token);

        clock.move(Duration.ofSeconds(29));
        decoder.decode(token);
        assertThat(verifications).hasValue(1);

        clock.move(Duration.ofSeconds(2));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class)
                .hasMessageContaining("expired");
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aTokenIsVerifiedAgainAfterTheTtl() {
        JwtDecoder decoder = remembering(Duration.ofMinutes(5));
        String token = token(KEY, "ann", Duration.ofHours(1));
        decoder.decode(token);

        clock.move(Duration.ofMinutes(4));
        decoder.decode(token);
        assertThat(verifications).hasValue(1);

        clock.move(Duration.ofMinutes(2));
        decoder.decode(token);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void aZeroTtlOrSizeSwitchesTheCacheOff() {
        JwtDecoder off = ServletSecurityAutoConfiguration.remembering(issuerDecoder,
                new ServiceSecurityProperties.TokenCache(Duration.ZERO, 100), null);
        JwtDecoder empty = ServletSecurityAutoConfiguration.remembering(issuerDecoder,
                new ServiceSecurityProperties.TokenCache(Duration.ofMinutes(5), 0), null);
        String token = token(KEY, "ann", Duration.ofHours(1));

        off.decode(token);
        off.decode(token);

        assertThat(off).isSameAs(issuerDecoder);
        assertThat(empty).isSameAs(issuerDecoder);
        assertThat(verifications).hasValue(2);
    }

    @Test
    void negativeSettingsAreRefusedByName() {
        assertThatThrownBy(() -> new ServiceSecurityProperties.TokenCache(Duration.ofSeconds(-1), 100))
                .hasMessageContaining("kb.security.token-cache.ttl");
        assertThatThrownBy(() -> new ServiceSecurityProperties.TokenCache(Duration.ofMinutes(1), -1))
                .hasMessageContaining("kb.security.token-cache.max-size");
        assertThatThrownBy(() -> VerifiedTokens.create(Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The servlet services' decoder with remembered tokens on the test's clock. */
    private JwtDecoder remembering(Duration ttl) {
        Ticker ticker = () -> Duration.between(Instant.EPOCH, clock.instant()).toNanos();
        return VerifiedTokens.create(ttl, 100, ticker, clock).inFrontOf(issuerDecoder);
    }

    private String token(RSAKey key, String subject, Duration validFor) {
        Instant now = clock.instant();
        JWTClaimsSet claims = TestIssuer.claims(subject, "acme", List.of())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(validFor)))
                .build();
        return TestIssuer.sign(key, claims);
    }

    /** A clock that tests move forward by hand. */
    static final class MovableClock extends Clock {

        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void move(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
