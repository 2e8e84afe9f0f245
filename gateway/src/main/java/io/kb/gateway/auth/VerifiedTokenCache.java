package io.kb.gateway.auth;

import io.kb.service.security.VerifiedTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import reactor.core.publisher.Mono;

/**
 * The edge's decoder with {@link VerifiedTokens} in front: a token accepted before, and not expired since, is
 * not parsed and verified again; any other goes to the issuer's decoder.
 */
final class VerifiedTokenCache implements ReactiveJwtDecoder {

    private final ReactiveJwtDecoder delegate;
    private final VerifiedTokens tokens;

    VerifiedTokenCache(ReactiveJwtDecoder delegate, VerifiedTokens tokens) {
        this.delegate = delegate;
        this.tokens = tokens;
    }

    /** The delegate behind a cache as configured, or the delegate itself when the cache is switched off. */
    static ReactiveJwtDecoder wrap(ReactiveJwtDecoder delegate, AuthProperties.TokenCache settings,
            MeterRegistry meters) {
        if (!settings.enabled()) {
            return delegate;
        }
        VerifiedTokens tokens = VerifiedTokens.create(settings.ttl(), settings.maxSize());
        tokens.monitor(meters, "kb.gateway.token.cache");
        return new VerifiedTokenCache(delegate, tokens);
    }

    @Override
    public Mono<Jwt> decode(String token) {
        Jwt known = tokens.find(token);
        if (known != null) {
            return Mono.just(known);
        }
        return delegate.decode(token).doOnNext(jwt -> tokens.remember(token, jwt));
    }
}
