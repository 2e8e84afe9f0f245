package io.kb.inference.pipeline;

import java.util.List;

/**
 * Who asks: the identity from the validated token, and the token itself, which retrieval-service validates again.
 *
 * @param userId     the token's subject
 * @param tenant     the tenant
 * @param principals {@code user:<id>}, {@code group:<g>}..., {@code public}: what the cache key and the logs use
 * @param token      the bearer token, relayed as is; never printed
 */
public record Asker(String userId, String tenant, List<String> principals, String token) {

    /** Copies the principals. */
    public Asker {
        principals = List.copyOf(principals);
    }

    @Override
    public String toString() {
        return "Asker[userId=" + userId + ", tenant=" + tenant + ", principals=" + principals + ", token=***]";
    }
}
