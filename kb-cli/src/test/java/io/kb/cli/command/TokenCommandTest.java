package io.kb.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Date;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.kb.cli.KbCommand;
import io.kb.cli.stack.StackException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {

    @TempDir
    Path root;

    @Test
    void signsWithTheLocalIssuersKeyTheClaimsTheServicesCheck() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        Path keys = Files.createDirectories(root.resolve(".kb/keys"));
        Files.writeString(keys.resolve("local-issuer.jwk.json"), key.toJSONString());

        String token = run("token", "--root", root.toString(), "--user", "alice", "--groups", "hr,finance", "--ttl", "1h");

        SignedJWT jwt = SignedJWT.parse(token.trim());
        assertThat(jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.getKeyID());
        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getIssuer()).isEqualTo("http://127.0.0.1:8080");
        assertThat(claims.getAudience()).containsExactly("kb");
        assertThat(claims.getStringClaim("tenant")).isEqualTo("aurora");
        assertThat(claims.getStringListClaim("groups")).containsExactly("hr", "finance");
        long ttl = claims.getExpirationTime().getTime() - claims.getIssueTime().getTime();
        assertThat(ttl).isEqualTo(3_600_000L);
        assertThat(claims.getExpirationTime()).isAfter(new Date());
    }

    @Test
    void withoutAKeySaysToStartTheStackFirst() {
        TokenCommand command = new TokenCommand();
        command.user = "alice";
        command.ttl = java.time.Duration.ofMinutes(5);
        assertThatThrownBy(() -> command.sign(root.resolve("missing.json"), "http://127.0.0.1:8080"))
                .isInstanceOf(StackException.class).hasMessageContaining("./kb up");
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(KbCommand.commandLine().execute(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
