package io.kb.service.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a Spring MVC service validates bearer tokens beyond their signature and expiry. The key source is
 * Boot's own: {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri} (the {@code local} profile points
 * it at the gateway) or {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} (the {@code cluster}
 * profile reads {@code KB_OIDC_ISSUER_URI}).
 *
 * @param tenantClaim the claim that holds the caller's tenant, a string that is a valid tenant name
 * @param groupsClaim the claim that holds the caller's groups, an array of strings; a token without it has no groups
 * @param audience the value that the token's {@code aud} must contain
 * @param issuer when set, the token's {@code iss} must equal it; with {@code issuer-uri} Boot checks the
 *        issuer already, so this is for a JWK set URI (the {@code local} profile sets the gateway's)
 * @param openPaths path patterns (such as {@code /v1/public/**}) that are served without a token, in addition
 *        to the health, info and Prometheus endpoints and {@code /error}
 * @param tokenCache how long and how many accepted tokens are remembered, so that a caller's next requests skip
 *        the signature check ({@link VerifiedTokens}); a zero {@code ttl} or {@code max-size} switches it off
 */
@ConfigurationProperties("kb.security")
public record ServiceSecurityProperties(
        @DefaultValue("tenant") String tenantClaim,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue("kb") String audience,
        String issuer,
        @DefaultValue List<String> openPaths,
        @DefaultValue TokenCache tokenCache) {

    /**
     * @param ttl     how long an accepted token is remembered, never past its {@code exp}; also how long a token
     *                keeps working after its signing key is withdrawn from the issuer's key set
     * @param maxSize how many tokens are remembered at most
     */
    public record TokenCache(@DefaultValue("5m") Duration ttl, @DefaultValue("10000") long maxSize) {

        public TokenCache {
            if (ttl == null || ttl.isNegative()) {
                throw new IllegalArgumentException("kb.security.token-cache.ttl must not be negative, was " + ttl);
            }
            if (maxSize < 0) {
                throw new IllegalArgumentException("kb.security.token-cache.max-size must not be negative, was "
                        + maxSize);
            }
        }

        /** Whether tokens are remembered at all. */
        public boolean enabled() {
            return !ttl.isZero() && maxSize > 0;
        }
    }

    public ServiceSecurityProperties {
        requireText("kb.security.tenant-claim", tenantClaim);
        requireText("kb.security.groups-claim", groupsClaim);
        requireText("kb.security.audience", audience);
        if (issuer != null && issuer.isBlank()) {
            issuer = null;
        }
        openPaths = List.copyOf(openPaths == null ? List.of() : openPaths);
        for (String path : openPaths) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("kb.security.open-paths entries must start with '/', was " + path);
            }
        }
    }

    private static void requireText(String property, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " must not be blank");
        }
    }
}
