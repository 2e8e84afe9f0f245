package io.kb.cli.command;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.StackException;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kb token}: a token from the local stack's issuer, for scripts and curl. It signs with the key the gateway
 * generated under the stack's home, so it works only with a local stack; a cluster uses its own OIDC provider.
 */
@Command(name = "token", description = {"Print a token of the local stack's issuer (local profile only), e.g.",
        "  curl -H \"Authorization: Bearer $(./kb token --user alice --groups hr)\" ..."})
public final class TokenCommand implements Callable<Integer> {

    @Mixin
    StackOptions options;

    @Option(names = "--user", required = true, description = "The user id (the token's subject).")
    String user;

    @Option(names = "--tenant", defaultValue = "aurora", description = "The tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--groups", split = ",", description = "The user's groups, comma-separated.")
    List<String> groups = List.of();

    @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the token is valid (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    public Integer call() throws Exception {
        FieldRules.requireTenant(tenant);
        Principal.requireValid("user", Principal.user(user));
        groups.forEach(g -> Principal.requireValid("groups", Principal.group(g)));
        LocalStack stack = options.stack();
        System.out.println(sign(stack.home().resolve("keys/local-issuer.jwk.json"), stack.url("gateway").toString()));
        return 0;
    }

    String sign(Path keyFile, String issuer) throws Exception {
        return sign(keyFile, issuer, user, tenant, groups, ttl);
    }

    /**
     * A token of the local issuer, as {@code kb token} prints it; for the commands that call the stack as a user.
     *
     * @param keyFile the issuer's key under the stack's home
     * @param issuer  the issuer, the gateway's base URL
     * @throws StackException if there is no key, i.e. the stack was never started from that home
     */
    public static String sign(Path keyFile, String issuer, String user, String tenant, List<String> groups,
            Duration ttl) throws Exception {
        if (!Files.isRegularFile(keyFile)) {
            throw new StackException("no local issuer key at " + keyFile
                    + "; start the stack with ./kb up first (the gateway creates the key)");
        }
        RSAKey key = RSAKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(user)
                .audience(List.of("kb"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("tenant", tenant)
                .claim("groups", List.copyOf(groups))
                .claim("name", user)
                .claim("preferred_username", user)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
