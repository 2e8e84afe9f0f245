package io.kb.contracts.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;

/**
 * Deterministic chunk ids, so that writing a chunk is idempotent.
 *
 * <p>The id of a chunk is the lower-case hex of the first 16 bytes of SHA-256 over its tenant,
 * document id, document version and ordinal, joined with {@code U+0000} and encoded in UTF-8 (the
 * numbers in decimal): 32 hex characters. A redelivered document version therefore produces
 * identical ids, and the index overwrites instead of duplicating; a new version produces new ids. The
 * separator cannot occur in a tenant or a document id, so different parts never hash the same input.
 */
public final class ChunkIds {

    /** The length of an id, in hex characters. */
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private ChunkIds() {
    }

    /**
     * The id of one chunk.
     *
     * @param tenant the tenant that owns the document
     * @param documentId the producer's id of the document
     * @param version the document version
     * @param ordinal the chunk's position in the document, from 0
     * @return 32 lower-case hex characters
     * @throws ContractViolationException when a part breaks its field rule
     */
    public static String of(String tenant, String documentId, long version, int ordinal) {
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
        FieldRules.requireVersion(version);
        if (ordinal < 0) {
            throw new ContractViolationException("ordinal", "must be zero or greater, was " + ordinal);
        }
        String input = tenant + '\u0000' + documentId + '\u0000' + version + '\u0000' + ordinal;
        byte[] digest = sha256().digest(input.getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, LENGTH / 2);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
