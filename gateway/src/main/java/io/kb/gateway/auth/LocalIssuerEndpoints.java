package io.kb.gateway.auth;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The local issuer over HTTP: {@code POST /auth/token} (a form or JSON with {@code username} and
 * {@code password}), {@code GET /.well-known/jwks.json} (its public key) and {@code GET /auth/login} (a bare
 * page that logs in and keeps the token in the tab's {@code sessionStorage}).
 */
@RestController
@ConditionalOnBooleanProperty("kb.gateway.local-issuer.enabled")
class LocalIssuerEndpoints {

    private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

    /** The login as JSON. */
    record LoginRequest(String username, String password) {
    }

    /** The token, in the shape of an OAuth 2.0 token response (RFC 6749, section 5.1). */
    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {
    }

    private final LocalTokenIssuer issuer;
    private final LocalSigningKey key;

    LocalIssuerEndpoints(LocalTokenIssuer issuer, LocalSigningKey key) {
        this.issuer = issuer;
        this.key = key;
    }

    @PostMapping(path = "/auth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    Mono<TokenResponse> tokenFromForm(ServerWebExchange exchange) {
        return exchange.getFormData().map(form -> token(form.getFirst("username"), form.getFirst("password")));
    }

    @PostMapping(path = "/auth/token", consumes = MediaType.APPLICATION_JSON_VALUE)
    TokenResponse tokenFromJson(@RequestBody LoginRequest login) {
        return token(login.username(), login.password());
    }

    @GetMapping(path = "/.well-known/jwks.json")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().contentType(JWK_SET).body(key.publicKeys().toJSONObject(true));
    }

    @GetMapping(path = "/auth/login", produces = MediaType.TEXT_HTML_VALUE)
    Resource loginPage() {
        return new ClassPathResource("io/kb/gateway/auth/login.html");
    }

    private TokenResponse token(String username, String password) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "Both username and password are required.");
            problem.setTitle("Missing credentials");
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        return issuer.issue(username, password)
                .map(t -> new TokenResponse(t.value(), "Bearer", t.expiresInSeconds()))
                .orElseThrow(AuthProblems::badCredentials);
    }
}
