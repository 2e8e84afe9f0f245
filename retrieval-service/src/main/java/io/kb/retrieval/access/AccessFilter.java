package io.kb.retrieval.access;

import java.util.Collection;
import java.util.Set;

/**
 * The access rule of retrieval, derived from a {@link Caller}: a chunk may be returned when its
 * tenant is the caller's tenant and its document's ACL shares at least one principal with the
 * caller's principals.
 *
 * <p>Each chunk index translates this rule into its own query language and runs it inside the
 * search (a Lucene filter clause, a Milvus partition key plus {@code ARRAY_CONTAINS_ANY}), so that
 * the top k are taken from the readable chunks only: no search returns fewer results, or a forbidden
 * one, because of filtering after the fact. {@link #permits} is the same rule in Java, for the
 * checks that an index makes on its own results and for tests.
 *
 * @param tenant the only tenant whose chunks may be returned
 * @param principals the principals of which a document's ACL must contain at least one
 */
public record AccessFilter(String tenant, Set<String> principals) {

    /** Copies the principals; both components come from a valid {@link Caller}. */
    public AccessFilter {
        principals = Set.copyOf(principals);
    }

    /**
     * @param caller who is searching
     * @return the rule for that caller
     */
    public static AccessFilter of(Caller caller) {
        return new AccessFilter(caller.tenant(), Set.copyOf(caller.principals()));
    }

    /**
     * Whether a chunk of the given tenant and ACL may be returned.
     *
     * @param chunkTenant the tenant of the chunk's document
     * @param acl the ACL of the chunk's document
     * @return {@code true} when the tenants are equal and the ACL holds one of the caller's principals
     */
    public boolean permits(String chunkTenant, Collection<String> acl) {
        if (!tenant.equals(chunkTenant)) {
            return false;
        }
        for (String principal : acl) {
            if (principals.contains(principal)) {
                return true;
            }
        }
        return false;
    }
}
