package io.kb.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The built-in token issuer of the {@code local} profile: it signs tokens for a fixed list of users with an
 * RSA key kept on local disk, so the platform runs without an identity provider. It is for development
 * only; the gateway refuses to start with it under the {@code cluster} profile.
 *
 * @param enabled   whether the gateway issues tokens itself ({@code POST /auth/token}) and publishes its key
 *                  ({@code GET /.well-known/jwks.json}); off unless the {@code local} profile turns it on
 * @param issuer    the {@code iss} of the tokens it signs, which the gateway then requires
 * @param keyFile   the RSA signing key as a private JWK (with a {@code kid}); read when the file exists,
 *                  otherwise generated once and written there, readable by the owner only. A relative path
 *                  is resolved against the working directory (the repository root under {@code kb up})
 * @param tokenTtl  how long an issued token stays valid
 * @param users     who may log in, by user name (the token's {@code sub}); a name with a dot is written in
 *                  brackets in YAML, {@code "[wang.fang]"}
 */
@Validated
@ConfigurationProperties("kb.gateway.local-issuer")
public record LocalIssuerProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("http://127.0.0.1:8080") @NotBlank String issuer,
        @DefaultValue(".kb/keys/local-issuer.jwk.json") @NotNull Path keyFile,
        @DefaultValue("1h") @NotNull Duration tokenTtl,
        @DefaultValue Map<String, @Valid @NotNull User> users) {

    public LocalIssuerProperties {
        if (tokenTtl != null && (tokenTtl.isNegative() || tokenTtl.isZero())) {
            throw new IllegalArgumentException("kb.gateway.local-issuer.token-ttl must be positive, was " + tokenTtl);
        }
        users = users == null ? Map.of() : Map.copyOf(users);
    }

    /**
     * A user of the local issuer.
     *
     * @param password    the password, in plain text: these are demo accounts on a developer's machine
     * @param tenant      the tenant the user belongs to, written to the tenant claim
     * @param groups      the user's groups, written to the groups claim; may be empty
     * @param displayName the name shown to people, written to the {@code name} claim; the user name when absent
     */
    public record User(
            @NotBlank String password,
            @NotBlank String tenant,
            @DefaultValue List<@NotBlank String> groups,
            String displayName) {

        public User {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }

        @Override
        public String toString() {
            // Keeps the password out of logs and failure messages.
            return "User[tenant=" + tenant + ", groups=" + groups + ", displayName=" + displayName + "]";
        }
    }
}
