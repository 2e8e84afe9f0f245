package io.kb.inference.api;

import io.kb.inference.pipeline.Asker;
import io.kb.service.security.AuthenticatedCaller;
import org.springframework.security.oauth2.jwt.Jwt;

/** The asker of a request: identity from the validated token, and the token to relay to retrieval-service. */
public final class Askers {

    private Askers() {
    }

    /** The asker of a request authenticated with this token. */
    public static Asker of(AuthenticatedCaller caller, Jwt jwt) {
        return new Asker(caller.userId(), caller.tenant(), caller.principals(), jwt.getTokenValue());
    }
}
