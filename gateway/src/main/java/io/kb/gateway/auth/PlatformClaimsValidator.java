package io.kb.gateway.auth;

import java.util.ArrayList;
import java.util.List;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Checks the claims that the platform relies on, beyond signature, expiry and issuer: the audience, a tenant,
 * and groups that are a list of strings. Without a tenant no service could scope a search, so such a token
 * is refused here rather than deeper in.
 *
 * <p>Registered as a bean, it joins the validators of whichever decoder is in use: the local issuer's, or
 * the one Spring Boot builds from {@code spring.security.oauth2.resourceserver.jwt.*}.
 */
final class PlatformClaimsValidator implements OAuth2TokenValidator<Jwt> {

    private final AuthProperties properties;

    PlatformClaimsValidator(AuthProperties properties) {
        this.properties = properties;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        List<OAuth2Error> errors = new ArrayList<>();
        List<String> audience = token.getAudience();
        if (audience == null || !audience.contains(properties.audience())) {
            errors.add(invalid("the aud claim does not contain " + properties.audience()));
        }
        if (!(token.getClaims().get(properties.tenantClaim()) instanceof String tenant) || tenant.isBlank()) {
            errors.add(invalid("the " + properties.tenantClaim() + " claim is missing or not a non-blank string"));
        }
        Object groups = token.getClaims().get(properties.groupsClaim());
        if (groups != null && !isListOfStrings(groups)) {
            errors.add(invalid("the " + properties.groupsClaim() + " claim is not an array of strings"));
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static boolean isListOfStrings(Object value) {
        return value instanceof List<?> list && list.stream().allMatch(String.class::isInstance);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
    }
}
