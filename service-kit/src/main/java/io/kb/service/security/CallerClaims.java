package io.kb.service.security;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * The claims that make an {@link AuthenticatedCaller}: where they are ({@code sub}, the configured tenant and
 * groups claims, {@code name}) and what a token must hold in them. The same rules run twice: as token
 * validators in the decoder, so a token with bad claims is a 401 before any controller runs, and when the
 * caller is read, so a decoder that a service built without them still cannot produce a malformed caller.
 */
final class CallerClaims {

    private static final String NAME = "name";

    private final String tenantClaim;
    private final String groupsClaim;

    CallerClaims(ServiceSecurityProperties properties) {
        this.tenantClaim = properties.tenantClaim();
        this.groupsClaim = properties.groupsClaim();
    }

    /** {@code sub} is a string that makes a valid {@code user:<id>} principal. */
    OAuth2TokenValidator<Jwt> subjectValidator() {
        return new JwtClaimValidator<>(JwtClaimNames.SUB, CallerClaims::isUserId);
    }

    /** The tenant claim is a string that is a valid tenant name. */
    OAuth2TokenValidator<Jwt> tenantValidator() {
        return new JwtClaimValidator<>(tenantClaim, CallerClaims::isTenant);
    }

    /** The groups claim is absent, or an array of strings that make valid {@code group:<name>} principals. */
    OAuth2TokenValidator<Jwt> groupsValidator() {
        return new JwtClaimValidator<>(groupsClaim, CallerClaims::isGroups);
    }

    /**
     * @param jwt a decoded and validated token
     * @return the caller it names
     * @throws InvalidBearerTokenException when a claim breaks the rules above
     */
    AuthenticatedCaller read(Jwt jwt) {
        Object subject = jwt.getClaims().get(JwtClaimNames.SUB);
        Object tenant = jwt.getClaims().get(tenantClaim);
        Object groups = jwt.getClaims().get(groupsClaim);
        if (!isUserId(subject) || !isTenant(tenant) || !isGroups(groups)) {
            throw new InvalidBearerTokenException("the token's caller claims are malformed");
        }
        List<String> groupNames = groups == null ? List.of()
                : ((Collection<?>) groups).stream().map(String.class::cast).toList();
        try {
            return new AuthenticatedCaller((String) subject, (String) tenant, groupNames, displayName(jwt));
        } catch (ContractViolationException e) {
            throw new InvalidBearerTokenException("the token's caller claims are malformed", e);
        }
    }

    private static String displayName(Jwt jwt) {
        return jwt.getClaims().get(NAME) instanceof String name && !name.isBlank() ? name : null;
    }

    private static boolean isUserId(Object subject) {
        return subject instanceof String id && Principal.isValid(Principal.USER_PREFIX + id);
    }

    private static boolean isTenant(Object tenant) {
        return tenant instanceof String name && FieldRules.isValidTenant(name);
    }

    private static boolean isGroups(Object groups) {
        Predicate<Object> groupName = g -> g instanceof String name && Principal.isValid(Principal.GROUP_PREFIX + name);
        return groups == null || groups instanceof Collection<?> names && names.stream().allMatch(groupName);
    }
}
