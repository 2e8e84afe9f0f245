package io.kb.gateway.auth;

import org.springframework.web.server.ServerWebExchange;

/**
 * Who sent a request, as its validated bearer token says: the {@code sub} and the tenant claim. Never read from a
 * header. The gateway's filters find it with {@link #of(ServerWebExchange)} once security has passed the token;
 * requests without one (login, probes, static pages) have no caller.
 *
 * @param user   the token's subject
 * @param tenant the token's tenant
 */
public record Caller(String user, String tenant) {

    /** Exchange attribute holding the caller. */
    static final String ATTRIBUTE = Caller.class.getName();

    /** The caller of an exchange, or {@code null} when it came without a valid token. */
    public static Caller of(ServerWebExchange exchange) {
        return exchange.getAttribute(ATTRIBUTE);
    }
}
