package io.kb.gateway.auth;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Removes every header that claims an identity ({@code X-User*}, {@code X-Tenant*}, {@code X-Groups*},
 * {@code X-Auth*}, {@code X-Forwarded-User}) before a request is routed, so that no service, proxy or log
 * behind the gateway can be fooled by what a caller wrote there. Identity travels only in the token: the
 * {@code Authorization} header goes on untouched and each service checks it again.
 */
@Component
class IdentityHeaderFilter implements GlobalFilter, Ordered {

    private static final Logger log = LoggerFactory.getLogger(IdentityHeaderFilter.class);
    private static final List<String> PREFIXES = List.of("x-user", "x-tenant", "x-groups", "x-auth");
    private static final String FORWARDED_USER = "x-forwarded-user";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        // A plain loop: this runs on every request, and a stream cost more than the check.
        List<String> spoofable = null;
        for (String name : exchange.getRequest().getHeaders().headerNames()) {
            if (claimsIdentity(name)) {
                if (spoofable == null) {
                    spoofable = new ArrayList<>();
                }
                spoofable.add(name);
            }
        }
        if (spoofable == null) {
            return chain.filter(exchange);
        }
        List<String> forged = spoofable;
        log.debug("removed identity headers {} from {}", forged, exchange.getRequest().getPath());
        return chain.filter(exchange.mutate()
                .request(r -> r.headers(headers -> forged.forEach(headers::remove)))
                .build());
    }

    static boolean claimsIdentity(String header) {
        // Compared in place, ignoring case, so that no lower-case copy of every header name is made.
        if (header.equalsIgnoreCase(FORWARDED_USER)) {
            return true;
        }
        for (String prefix : PREFIXES) {
            if (header.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    /** First of all filters, so that none of them, nor a metric or a log, reads a forged identity. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
