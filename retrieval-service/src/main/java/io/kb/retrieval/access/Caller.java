package io.kb.retrieval.access;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;

/**
 * Who is searching: the tenant and the principals of a validated token. Every search of the chunk
 * index takes one, and its {@link AccessFilter} decides which chunks the search may return; there is
 * no way to search without a caller.
 *
 * @param tenant the caller's tenant (the JWT {@code tenant}), a well-formed tenant name
 * @param principals what the caller holds, such as {@code user:alice}, {@code group:eng} and
 *        {@code public}; at least one, each well-formed, without duplicates (repeats are dropped)
 */
public record Caller(String tenant, List<String> principals) {

    /** Checks the tenant and every principal; the principals become an unmodifiable copy. */
    public Caller {
        FieldRules.requireTenant(tenant);
        if (principals == null || principals.isEmpty()) {
            throw new ContractViolationException("principals", "must list at least one principal");
        }
        Set<String> distinct = new LinkedHashSet<>();
        int index = 0;
        for (String principal : principals) {
            distinct.add(Principal.requireValid("principals[" + index + "]", principal));
            index++;
        }
        principals = List.copyOf(distinct);
    }

    /**
     * The caller that a token with these claims describes: the user, the groups, and {@code public}.
     *
     * @param tenant the JWT {@code tenant}
     * @param userId the JWT {@code sub}
     * @param groups the JWT {@code groups}; {@code null} means none
     * @return the caller
     * @throws ContractViolationException when a claim is malformed
     */
    public static Caller of(String tenant, String userId, Collection<String> groups) {
        return new Caller(tenant, Principal.principalsOf(userId, groups));
    }
}
