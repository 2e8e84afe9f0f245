package io.kb.contracts.event;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

import io.kb.contracts.ContractViolationException;

/**
 * The content of a document being added or replaced: exactly one of inline text, inline bytes in
 * base64, or a reference that ingest-service fetches.
 *
 * <p>Inline content travels inside the Kafka record, so its size is bounded by the consumer (see
 * {@link DocumentEvent#requireInlineWithin(long)}); anything larger is published as a reference.
 *
 * @param text the document as UTF-8 text, inline
 * @param base64 the document's bytes, inline, in standard base64 with padding (RFC 4648 section 4)
 * @param reference where to fetch the document: a URI with scheme {@code file}, {@code http},
 *        {@code https}, {@code s3} or {@code upload} (in lower case); {@code http}, {@code https} and
 *        {@code s3} need an authority ({@code s3://bucket/key}); {@code upload} names a file that
 *        ingest-service's documents API stored, as {@code upload:<tenant>/<SHA-256 of the document
 *        id>/<version>-<SHA-256 of the content>} (lower-case hex), and is made by that API alone
 */
public record Content(String text, String base64, String reference) {

    /** Which of the three forms a content has. */
    public enum Kind {
        /** Inline text. */
        TEXT,
        /** Inline bytes in base64. */
        BASE64,
        /** A URI to fetch. */
        REFERENCE
    }

    /** The longest reference, in characters. */
    public static final int REFERENCE_MAX_LENGTH = 4096;

    /** The same expression as the {@code reference} pattern of the JSON Schema. */
    public static final String REFERENCE_REGEX = "^(?:file:[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+"
            + "|upload:[a-z0-9][a-z0-9_-]{0,63}/[0-9a-f]{64}/[0-9]{1,19}-[0-9a-f]{64}"
            + "|(?:https?|s3)://[A-Za-z0-9._~!$&'()*+,;=:@%\\[\\]-]+(?:[/?#][A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]*)?)$";

    private static final Pattern REFERENCE = Pattern.compile(REFERENCE_REGEX);

    /** Checks that exactly one form is given and that it is well-formed. */
    public Content {
        int given = (text != null ? 1 : 0) + (base64 != null ? 1 : 0) + (reference != null ? 1 : 0);
        if (given != 1) {
            throw new ContractViolationException("$",
                    "must have exactly one of 'text', 'base64' and 'reference', had " + given);
        }
        if (base64 != null) {
            requireBase64(base64);
        }
        if (reference != null) {
            requireReference(reference);
        }
    }

    /** Inline text. */
    public static Content ofText(String text) {
        return new Content(text, null, null);
    }

    /** Inline bytes, encoded here in base64. */
    public static Content ofBytes(byte[] bytes) {
        return new Content(null, Base64.getEncoder().encodeToString(bytes), null);
    }

    /** A reference, such as {@code s3://bucket/reports/2025.pdf}. */
    public static Content ofReference(String reference) {
        return new Content(null, null, reference);
    }

    /** Which of the three forms this content has. */
    public Kind kind() {
        if (text != null) {
            return Kind.TEXT;
        }
        return base64 != null ? Kind.BASE64 : Kind.REFERENCE;
    }

    /**
     * The number of bytes this content adds to the record: the UTF-8 length of the text, or the
     * decoded length of the base64; 0 for a reference. Computed without decoding.
     */
    public long inlineSizeBytes() {
        if (text != null) {
            return utf8Length(text);
        }
        if (base64 != null) {
            int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
            return (long) base64.length() / 4 * 3 - padding;
        }
        return 0;
    }

    /**
     * The inline content as bytes: the text in UTF-8, or the decoded base64.
     *
     * @throws IllegalStateException for a reference, which has to be fetched
     */
    public byte[] inlineBytes() {
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (base64 != null) {
            return Base64.getDecoder().decode(base64);
        }
        throw new IllegalStateException("a reference has no inline bytes; fetch " + reference);
    }

    /**
     * The reference as a URI.
     *
     * @throws IllegalStateException for inline content
     */
    public URI referenceUri() {
        if (reference == null) {
            throw new IllegalStateException("inline content has no reference");
        }
        return URI.create(reference);
    }

    // Checked by hand rather than with a regular expression: a megabyte of base64 would overflow the
    // stack of java.util.regex's recursive group matching.
    private static void requireBase64(String value) {
        int length = value.length();
        if (length % 4 != 0) {
            throw new ContractViolationException("base64", "must be base64 with padding (a multiple of 4 characters)");
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            boolean padding = c == '=' && i >= length - 2 && (i == length - 1 || value.charAt(length - 1) == '=');
            if (!alphabet && !padding) {
                throw new ContractViolationException("base64",
                        "must be standard base64 (A-Z, a-z, 0-9, '+', '/', '=' padding); bad character at index " + i);
            }
        }
    }

    private static void requireReference(String value) {
        if (value.length() > REFERENCE_MAX_LENGTH) {
            throw new ContractViolationException("reference", "must be at most " + REFERENCE_MAX_LENGTH + " characters");
        }
        if (!REFERENCE.matcher(value).matches()) {
            throw new ContractViolationException("reference",
                    "must be a URI with scheme file, http, https, s3 or upload (lower case); http, https and s3 need '//' and a host or bucket;"
                            + " upload: is upload:<tenant>/<64 hex>/<version>-<64 hex>");
        }
        try {
            new URI(value);
        } catch (URISyntaxException e) {
            throw new ContractViolationException("reference", "is not a valid URI: " + e.getReason());
        }
    }

    private static long utf8Length(String value) {
        long bytes = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
