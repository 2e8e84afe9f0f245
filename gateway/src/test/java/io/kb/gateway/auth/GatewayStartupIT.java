package io.kb.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import io.kb.gateway.GatewayApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Whole starts of the gateway, for what only a start can show: the key file, and the refusals to start. */
class GatewayStartupIT {


    @TempDir
    Path dir;

    @Test
    void createsTheSigningKeyFileOnTheFirstStartAndReusesItOnTheNext() throws Exception {
        Path keyFile = dir.resolve("keys/local-issuer.jwk.json");

        String firstKid;
        try (ConfigurableApplicationContext first = start("local", "kb.gateway.local-issuer.key-file=" + keyFile)) {
            firstKid = first.getBean(LocalSigningKey.class).keyId();
        }
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String stored = Files.readString(keyFile);
        assertThat(stored).contains("\"kid\":\"" + firstKid + "\"").contains("\"d\":");

        try (ConfigurableApplicationContext second = start("local", "kb.gateway.local-issuer.key-file=" + keyFile)) {
            assertThat(second.getBean(LocalSigningKey.class).keyId()).isEqualTo(firstKid);
        }
        assertThat(Files.readString(keyFile)).isEqualTo(stored);
    }

    @Test
    void refusesToStartTheLocalIssuerUnderTheClusterProfile() {
        assertThatThrownBy(() -> start("cluster",
                "kb.gateway.local-issuer.enabled=true",
                "kb.gateway.local-issuer.key-file=" + dir.resolve("key.json"),
                "KB_OIDC_ISSUER_URI=https://login.example.com/realms/kb",
                "KB_INGEST_URL=http://ingest", "KB_RETRIEVAL_URL=http://retrieval",
                "KB_INFERENCE_URL=http://inference", "kb.gateway.rate-limit.backend=memory").close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kb.gateway.local-issuer.enabled is true under the 'cluster' profile")
                .hasMessageContaining("KB_OIDC_ISSUER_URI");
        assertThat(dir.resolve("key.json")).doesNotExist();
    }

    @Test
    void refusesToStartWithoutAnyTokenIssuer() {
        assertThatThrownBy(() -> start("default").close())
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No token issuer is configured");
    }

    /** Properties go in as command-line arguments: above the profile's YAML, as an operator's would. */
    private static ConfigurableApplicationContext start(String profile, String... properties) {
        String[] args = Stream.concat(Stream.of("server.port=0", "spring.main.banner-mode=off"), Stream.of(properties))
                .map(p -> "--" + p)
                .toArray(String[]::new);
        return new SpringApplicationBuilder(GatewayApplication.class).profiles(profile).run(args);
    }
}
