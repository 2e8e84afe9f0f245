package io.kb.gateway.chat;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * The browser-facing headers of the chat page ({@code /}, {@code /index.html} and its assets under
 * {@code /chat/}): a Content-Security-Policy that lets the page load only its own scripts, styles and images
 * and talk only to this origin, with no inline script, no framing and no plugins, plus a referrer and a
 * permissions policy. Spring Security already adds {@code X-Content-Type-Options}, {@code X-Frame-Options} and
 * the cache headers to every response.
 *
 * <p>Scoped to the page's paths: the local issuer's bare login page at {@code /auth/login} keeps its inline
 * script, and the APIs' JSON needs no policy.
 */
@Component
class ChatPageHeadersWebFilter implements WebFilter {

    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    private static final PathPattern[] PAGE_PATHS = {
        PathPatternParser.defaultInstance.parse("/"),
        PathPatternParser.defaultInstance.parse("/index.html"),
        PathPatternParser.defaultInstance.parse("/chat/**"),
    };

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        for (PathPattern page : PAGE_PATHS) {
            if (page.matches(path)) {
                HttpHeaders headers = exchange.getResponse().getHeaders();
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("Referrer-Policy", "no-referrer");
                headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
                break;
            }
        }
        return chain.filter(exchange);
    }
}
