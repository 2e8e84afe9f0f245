package io.kb.service.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A token issuer for tests, in-process: an RSA key generated at start, its public half served as a JWK set
 * over loopback HTTP (so services exercise the real {@code jwk-set-uri} path), and RS256 tokens shaped like
 * the gateway's.
 */
public final class TestIssuer implements AutoCloseable {

    /** The {@code iss} of the tokens; the services under test set {@code kb.security.issuer} to it. */
    public static final String ISSUER = "http://issuer.test";

    private static final String KEY_ID = "test-key";

    private final RSAKey key;
    private final HttpServer server;
    private final AtomicInteger keyRequests = new AtomicInteger();

    private TestIssuer(RSAKey key, HttpServer server) {
        this.key = key;
        this.server = server;
    }

    /** Generates a key and starts serving its JWK set on a free loopback port. */
    public static TestIssuer start() throws IOException {
        RSAKey key = newKey();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TestIssuer issuer = new TestIssuer(key, server);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", exchange -> {
            issuer.keyRequests.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
            }
        });
        server.start();
        return issuer;
    }

    /** An RSA key with the same key id as the issuer's, for tokens whose signature must not verify. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The URL of the JWK set, for {@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}. */
    public String jwkSetUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** How often the JWK set was fetched. */
    public int keyRequests() {
        return keyRequests.get();
    }

    /** The claims of a valid token for a user, valid for five minutes. */
    public static JWTClaimsSet.Builder claims(String user, String tenant, List<String> groups) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .audience(List.of("kb"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("tenant", tenant)
                .claim("groups", groups)
                .claim("name", "Display " + user);
    }

    /** The claims signed with the issuer's key, as a compact JWT. */
    public String sign(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    /** The claims signed with {@code signingKey}, as a compact JWT. */
    public static String sign(RSAKey signingKey, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(signingKey.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
