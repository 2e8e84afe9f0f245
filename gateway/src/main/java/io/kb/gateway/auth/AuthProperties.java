package io.kb.gateway.auth;

import jakarta.validation.constraints.NotBlank;
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
 */
@Validated
@ConfigurationProperties("kb.gateway.auth")
public record AuthProperties(
        @DefaultValue("kb") @NotBlank String audience,
        @DefaultValue("tenant") @NotBlank String tenantClaim,
        @DefaultValue("groups") @NotBlank String groupsClaim) {
}
