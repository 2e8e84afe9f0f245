package io.kb.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local issuer's RSA signing key: read from its key file, or generated once (RSA 2048, {@code kid} from
 * the key's thumbprint) and written there readable by the owner only, so tokens stay valid across restarts.
 */
final class LocalSigningKey {

    private static final Logger log = LoggerFactory.getLogger(LocalSigningKey.class);
    private static final int MIN_BITS = 2048;
    private static final String PROPERTY = "kb.gateway.local-issuer.key-file";

    private final RSAKey key;

    private LocalSigningKey(RSAKey key) {
        this.key = key;
    }

    /**
     * @param file where the key is, or will be written
     * @return the key in {@code file}, or a new one now stored there
     * @throws IllegalStateException when the file holds no usable RSA private key or cannot be written
     */
    static LocalSigningKey loadOrCreate(Path file) {
        Path path = file.toAbsolutePath().normalize();
        if (Files.exists(path)) {
            LocalSigningKey loaded = new LocalSigningKey(read(path));
            warnIfReadableByOthers(path);
            log.info("local issuer: signing with key {} from {}", loaded.keyId(), path);
            return loaded;
        }
        LocalSigningKey created = new LocalSigningKey(generate());
        write(path, created.key);
        log.info("local issuer: generated signing key {} and stored it in {}", created.keyId(), path);
        return created;
    }

    /** The private key, for signing. */
    RSAKey signingKey() {
        return key;
    }

    String keyId() {
        return key.getKeyID();
    }

    RSAPublicKey publicKey() {
        try {
            return key.toRSAPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException("the local issuer's public key cannot be read", e);
        }
    }

    /** The public half alone, as the JWK set that {@code /.well-known/jwks.json} serves. */
    JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    private static RSAKey read(Path path) {
        JWK jwk;
        try {
            jwk = JWK.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the local issuer's key " + path + " (" + PROPERTY + ")", e);
        } catch (ParseException e) {
            throw new IllegalStateException(path + " (" + PROPERTY + ") is not a JSON Web Key: " + e.getMessage(), e);
        }
        if (!(jwk instanceof RSAKey rsa) || !rsa.isPrivate()) {
            throw new IllegalStateException(path + " (" + PROPERTY + ") must hold an RSA private key as a JWK");
        }
        if (rsa.getKeyID() == null || rsa.getKeyID().isBlank()) {
            throw new IllegalStateException(path + " (" + PROPERTY + ") has no kid; add one or delete the file "
                    + "to let the gateway generate a key");
        }
        if (rsa.size() < MIN_BITS) {
            throw new IllegalStateException(path + " (" + PROPERTY + ") holds a " + rsa.size()
                    + "-bit RSA key; at least " + MIN_BITS + " bits are needed");
        }
        return rsa;
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(MIN_BITS)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the local issuer's RSA key", e);
        }
    }

    /** Written to a private temporary file and moved into place, so no one ever reads half a key. */
    private static void write(Path path, RSAKey key) {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        try {
            Path dir = path.getParent();
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(dir);
            }
            FileAttribute<?>[] ownerOnly = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            Path temporary = Files.createTempFile(dir, ".local-issuer-", ".tmp", ownerOnly);
            try {
                Files.writeString(temporary, key.toJSONString(), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, path);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the local issuer's key in " + path + " (" + PROPERTY + ")", e);
        }
        if (!posix) {
            log.warn("local issuer: {} cannot be restricted to its owner on this file system", path);
        }
    }

    private static void warnIfReadableByOthers(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"))) {
                log.warn("local issuer: {} is open to other users ({}); chmod 600 it",
                        path, PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: nothing to check.
        }
    }
}
