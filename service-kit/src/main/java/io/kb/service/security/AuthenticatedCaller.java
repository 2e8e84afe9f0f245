package io.kb.service.security;

import java.util.List;

import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;

/**
 * Who is calling: the user, their tenant and their groups, as read from the request's validated bearer
 * token. It is the only source of identity in a service: a controller declares an
 * {@code AuthenticatedCaller caller} parameter and receives it from {@link AuthenticatedCallerArgumentResolver};
 * nothing builds one from headers, query parameters or bodies. Every search and every write is scoped by
 * {@link #tenant()} and, for reading documents, by {@link #principals()}.
 *
 * @param userId the user's id, the token's {@code sub}; {@code user:<userId>} is one of the caller's principals
 * @param tenant the tenant the caller belongs to (the token's tenant claim)
 * @param groups the caller's groups (the token's groups claim), possibly empty, never {@code null}
 * @param name the display name (the token's {@code name}), or {@code null} when the token has none;
 *        for greetings and logs, never for access decisions
 */
public record AuthenticatedCaller(String userId, String tenant, List<String> groups, String name) {

    /**
     * @throws io.kb.contracts.ContractViolationException when the tenant, the user id or a group is malformed,
     *         or {@code groups} is {@code null}
     */
    public AuthenticatedCaller {
        FieldRules.requireTenant(tenant);
        groups = List.copyOf(FieldRules.requirePresent("groups", groups));
        // Building the principals once checks the user id and every group name against the ACL rules.
        Principal.principalsOf(userId, groups);
    }

    /**
     * The principals the caller holds, for the access filter: {@code user:<userId>}, {@code group:<g>} for
     * each group, and {@code public}. A document is readable when its ACL shares one of them and its tenant is
     * {@link #tenant()}.
     *
     * @return an unmodifiable list without duplicates
     */
    public List<String> principals() {
        return Principal.principalsOf(userId, groups);
    }
}
