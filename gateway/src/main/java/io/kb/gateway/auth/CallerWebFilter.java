package io.kb.gateway.auth;

import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Records the {@link Caller} of a request whose token security has accepted, as an exchange attribute: the
 * security context lives in the Reactor context of what runs after security, while the rate limits, the access
 * log and the metrics also need the caller where that context is out of reach.
 */
@Component
@Order(0) // after Spring Security's WebFilterChainProxy (-100)
class CallerWebFilter implements WebFilter {

    private final AuthProperties auth;

    CallerWebFilter(AuthProperties auth) {
        this.auth = auth;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        return exchange.getPrincipal()
                .ofType(JwtAuthenticationToken.class)
                .doOnNext(token -> exchange.getAttributes().put(Caller.ATTRIBUTE,
                        new Caller(token.getToken().getSubject(), token.getToken().getClaimAsString(auth.tenantClaim()))))
                .then(chain.filter(exchange));
    }
}
