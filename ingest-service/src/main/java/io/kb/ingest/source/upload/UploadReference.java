package io.kb.ingest.source.upload;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kb.contracts.FieldRules;

/**
 * Where an {@link UploadStore} keeps one uploaded document version: {@code upload:<tenant>/<id hash>/<version>-<content
 * hash>}, the hashes being the lower-case hex SHA-256 of the document id and of the bytes. Nothing of it comes from the
 * client's file name, and every part has a fixed alphabet, so a reference cannot name a place outside the store.
 *
 * @param tenant       the tenant that uploaded it
 * @param documentHash SHA-256 of the document id
 * @param version      the document version the upload belongs to
 * @param contentHash  SHA-256 of the stored bytes
 */
public record UploadReference(String tenant, String documentHash, long version, String contentHash) {

    /** The URI scheme of these references in {@code DocumentEvent} content. */
    public static final String SCHEME = "upload";

    private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FORM = Pattern.compile(
            "upload:([a-z0-9][a-z0-9_-]{0,63})/([0-9a-f]{64})/([0-9]{1,19})-([0-9a-f]{64})");

    public UploadReference {
        FieldRules.requireTenant(tenant);
        if (documentHash == null || !HEX_64.matcher(documentHash).matches()) {
            throw new IllegalArgumentException("documentHash must be 64 lower-case hex digits");
        }
        if (contentHash == null || !HEX_64.matcher(contentHash).matches()) {
            throw new IllegalArgumentException("contentHash must be 64 lower-case hex digits");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be zero or greater, was " + version);
        }
    }

    /** The reference of a document version's bytes whose SHA-256 is {@code contentHash}. */
    public static UploadReference of(String tenant, String documentId, long version, String contentHash) {
        return new UploadReference(tenant, documentHash(documentId), version, contentHash);
    }

    /**
     * Reads a reference of the form above.
     *
     * @throws IllegalArgumentException for anything else, including every {@code ..} and every other scheme
     */
    public static UploadReference parse(String reference) {
        Matcher m = FORM.matcher(reference == null ? "" : reference);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an upload reference: upload:<tenant>/<64 hex>/<version>-<64 hex>");
        }
        long version;
        try {
            version = Long.parseLong(m.group(3));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the version of an upload reference is out of range", e);
        }
        return new UploadReference(m.group(1), m.group(2), version, m.group(4));
    }

    /** Whether a content reference names an upload rather than a file or a URL. */
    public static boolean isUpload(URI uri) {
        return SCHEME.equalsIgnoreCase(uri.getScheme());
    }

    /** SHA-256 of a document id, as the store names the document's folder. */
    public static String documentHash(String documentId) {
        return HexFormat.of().formatHex(sha256().digest(documentId.getBytes(StandardCharsets.UTF_8)));
    }

    /** Whether this upload belongs to that document version of that tenant. */
    public boolean belongsTo(String tenant, String documentId, long version) {
        return this.tenant.equals(tenant) && this.version == version && documentHash.equals(documentHash(documentId));
    }

    /** The reference as it travels in an event's content. */
    public String uri() {
        return SCHEME + ":" + tenant + "/" + documentHash + "/" + version + "-" + contentHash;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return uri();
    }
}
