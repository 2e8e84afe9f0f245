package io.kb.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Checks a local user's password and signs a token for them, with the claims that every service reads:
 * {@code iss}, {@code sub} (the user name), {@code aud}, {@code iat}, {@code exp}, {@code jti}, the tenant and
 * groups claims (named as {@link AuthProperties} says), {@code name} and {@code preferred_username}.
 */
final class LocalTokenIssuer {

    /** A signed token and how many seconds it stays valid. */
    record IssuedToken(String value, long expiresInSeconds) {
    }

    private final LocalIssuerProperties issuer;
    private final AuthProperties auth;
    private final LocalSigningKey key;
    private final RSASSASigner signer;
    private final Clock clock;
    private final Map<String, byte[]> passwordDigests;
    private final byte[] unknownUserDigest;

    LocalTokenIssuer(LocalIssuerProperties issuer, AuthProperties auth, LocalSigningKey key, Clock clock) {
        this.issuer = issuer;
        this.auth = auth;
        this.key = key;
        this.clock = clock;
        try {
            this.signer = new RSASSASigner(key.signingKey());
        } catch (JOSEException e) {
            throw new IllegalStateException("the local issuer's key cannot sign", e);
        }
        this.passwordDigests = issuer.users().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                        e -> digest(e.getValue().password())));
        this.unknownUserDigest = digest(UUID.randomUUID().toString());
    }

    /**
     * @return a token for the user, or empty when the user is unknown or the password is wrong; both take the
     *         same time, so timing tells an attacker neither which names exist nor how much of a password matched
     */
    Optional<IssuedToken> issue(String username, String password) {
        byte[] expected = passwordDigests.getOrDefault(username, unknownUserDigest);
        // Equal-length digests make MessageDigest.isEqual run in constant time.
        boolean matches = MessageDigest.isEqual(digest(password), expected);
        LocalIssuerProperties.User user = issuer.users().get(username);
        if (!matches || user == null) {
            return Optional.empty();
        }
        return Optional.of(sign(username, user));
    }

    private IssuedToken sign(String username, LocalIssuerProperties.User user) {
        Instant now = clock.instant();
        Instant expiry = now.plus(issuer.tokenTtl());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer.issuer())
                .subject(username)
                .audience(List.of(auth.audience()))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiry))
                .jwtID(UUID.randomUUID().toString())
                .claim(auth.tenantClaim(), user.tenant())
                .claim(auth.groupsClaim(), user.groups())
                .claim("name", user.displayName() == null ? username : user.displayName())
                .claim("preferred_username", username)
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.keyId())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("the local issuer failed to sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), issuer.tokenTtl().toSeconds());
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
