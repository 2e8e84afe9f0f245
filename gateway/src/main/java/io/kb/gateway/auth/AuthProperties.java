package io.kb.gateway.auth;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway demands of every bearer token, whoever issued it: the built-in local issuer or the
 * cluster's OIDC provider. Signature, expiry and issuer are checked as well; these name the platform's own
 * claims, which providers spell differently.
 *
 * @param audience    the value that the token's {@code aud} claim must contain; a token for another
 *                    audience is refused
 * @param tenantClaim the claim that holds the caller's tenant, a non-blank string; a token without it is refused
 * @param groupsClaim the claim that holds the caller's groups, an array of strings; absent means no groups
 * @param tokenCache  how the gateway remembers tokens it has already verified
 */
@Validated
@ConfigurationProperties("kb.gateway.auth")
public record AuthProperties(
        @DefaultValue("kb") @NotBlank String audience,
        @DefaultValue("tenant") @NotBlank String tenantClaim,
        @DefaultValue("groups") @NotBlank String groupsClaim,
        @DefaultValue @Valid TokenCache tokenCache) {

    /**
     * Verified tokens kept in memory, so that a caller's next requests skip the signature check (see
     * {@code VerifiedTokenCache}). A zero {@code ttl} or {@code maxSize} switches the cache off.
     *
     * @param ttl     how long a verified token is remembered, never past its {@code exp}; also how long a token
     *                keeps working after its signing key is withdrawn from the issuer's key set
     * @param maxSize how many tokens are remembered at most; the least used leave first
     */
    public record TokenCache(
            @DefaultValue("5m") Duration ttl,
            @DefaultValue("10000") @PositiveOrZero long maxSize) {

        public TokenCache {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("kb.gateway.auth.token-cache.ttl must not be negative, was " + ttl);
            }
        }

        boolean enabled() {
            return !ttl.isZero() && maxSize > 0;
        }
    }
}
