package io.kb.contracts;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules for the fields that the contract's records share: tenant, document id, version, free
 * text, ACL and metadata. Each method returns the value it accepts (an unmodifiable copy for
 * collections) or throws a {@link ContractViolationException} that names the field.
 *
 * <p>The regular expressions are the ones the JSON Schemas use, character for character, and lengths
 * count Unicode code points, as JSON Schema's {@code maxLength} does; a test holds the two sides
 * together.
 */
public final class FieldRules {

    /** The tenant: lower case, starting with a letter or digit, at most 64 characters, never a {@code /}. */
    public static final String TENANT_REGEX = "^[a-z0-9][a-z0-9_-]{0,63}$";

    /** A document id: no ISO control characters ({@code /} is allowed). */
    public static final String DOCUMENT_ID_REGEX = "^[^\\u0000-\\u001F\\u007F-\\u009F]+$";

    /** A metadata key. */
    public static final String METADATA_KEY_REGEX = "^[A-Za-z0-9_.-]{1,64}$";

    /**
     * Matches wherever a string has a character that is not whitespace in the sense of
     * {@link Character#isWhitespace}, so a string is blank exactly when {@link String#isBlank} says so.
     */
    public static final String NON_BLANK_REGEX =
            "[^\\t\\n\\u000B\\f\\r\\u001C-\\u0020\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000]";

    /** The longest document id, in characters. */
    public static final int DOCUMENT_ID_MAX_LENGTH = 512;

    /** The most principals in one ACL. */
    public static final int ACL_MAX_ENTRIES = 256;

    /** The most metadata entries on one document. */
    public static final int METADATA_MAX_ENTRIES = 64;

    /** The longest metadata value, in characters. */
    public static final int METADATA_VALUE_MAX_LENGTH = 2048;

    private static final Pattern TENANT = Pattern.compile(TENANT_REGEX);
    private static final Pattern DOCUMENT_ID = Pattern.compile(DOCUMENT_ID_REGEX);
    private static final Pattern METADATA_KEY = Pattern.compile(METADATA_KEY_REGEX);
    private static final Pattern NON_BLANK = Pattern.compile(NON_BLANK_REGEX);

    private FieldRules() {
    }

    /** Whether {@code tenant} is a well-formed tenant name; {@code null} is not. */
    public static boolean isValidTenant(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }

    /**
     * @param tenant such as {@code acme}
     * @return {@code tenant}
     * @throws ContractViolationException naming {@code tenant}
     */
    public static String requireTenant(String tenant) {
        requireNotBlank("tenant", tenant);
        if (!TENANT.matcher(tenant).matches()) {
            throw new ContractViolationException("tenant",
                    "must be 1 to 64 characters of a-z, 0-9, '_' and '-', starting with a letter or digit");
        }
        return tenant;
    }

    /**
     * @param documentId the producer's id of the document; it may contain {@code /}
     * @return {@code documentId}
     * @throws ContractViolationException naming {@code documentId}
     */
    public static String requireDocumentId(String documentId) {
        if (documentId == null) {
            throw new ContractViolationException("documentId", "is required");
        }
        if (documentId.isEmpty()) {
            throw new ContractViolationException("documentId", "must not be empty");
        }
        if (lengthOf(documentId) > DOCUMENT_ID_MAX_LENGTH) {
            throw new ContractViolationException("documentId",
                    "must be at most " + DOCUMENT_ID_MAX_LENGTH + " characters");
        }
        if (!DOCUMENT_ID.matcher(documentId).matches()) {
            throw new ContractViolationException("documentId", "must not contain control characters");
        }
        return documentId;
    }

    /**
     * @param version the document version, increasing with every change of the document
     * @return {@code version}
     * @throws ContractViolationException naming {@code version} when it is negative
     */
    public static long requireVersion(long version) {
        if (version < 0) {
            throw new ContractViolationException("version", "must be zero or greater, was " + version);
        }
        return version;
    }

    /**
     * @param actual the {@code schemaVersion} of a value
     * @param supported the one version this code reads
     * @throws ContractViolationException naming {@code schemaVersion}
     */
    public static void requireSchemaVersion(int actual, int supported) {
        if (actual != supported) {
            throw new ContractViolationException("schemaVersion", "must be " + supported + ", was " + actual);
        }
    }

    /**
     * @param field the field to name
     * @param value the value
     * @return {@code value}
     * @throws ContractViolationException when {@code value} is null
     */
    public static <T> T requirePresent(String field, T value) {
        if (value == null) {
            throw new ContractViolationException(field, "is required");
        }
        return value;
    }

    /**
     * @param field the field to name
     * @param value the value; {@code null} is accepted
     * @param maxLength the most characters
     * @return {@code value}
     * @throws ContractViolationException when {@code value} is longer than {@code maxLength}
     */
    public static String optionalText(String field, String value, int maxLength) {
        if (value != null && lengthOf(value) > maxLength) {
            throw new ContractViolationException(field, "must be at most " + maxLength + " characters");
        }
        return value;
    }

    /**
     * @param field the field to name
     * @param value the value
     * @return {@code value}
     * @throws ContractViolationException when {@code value} is null, empty or only whitespace
     */
    public static String requireNotBlank(String field, String value) {
        if (value == null) {
            throw new ContractViolationException(field, "is required");
        }
        if (!isNotBlank(value)) {
            throw new ContractViolationException(field, "must not be blank");
        }
        return value;
    }

    /**
     * @param mediaType such as {@code application/pdf}; {@code null} is accepted
     * @return {@code mediaType}
     * @throws ContractViolationException naming {@code mediaType} when it is not a {@link SupportedMediaTypes}
     */
    public static String optionalMediaType(String mediaType) {
        if (mediaType != null) {
            SupportedMediaTypes.of(mediaType);
        }
        return mediaType;
    }

    /**
     * The ACL of a document that is being added or replaced: 1 to 256 distinct principals.
     *
     * @param acl the principals that may read the document
     * @return an unmodifiable copy
     * @throws ContractViolationException naming {@code acl} or {@code acl[i]}
     */
    public static List<String> requireAcl(List<String> acl) {
        if (acl == null || acl.isEmpty()) {
            throw new ContractViolationException("acl", "must list at least one principal (use 'public' for everyone in the tenant)");
        }
        if (acl.size() > ACL_MAX_ENTRIES) {
            throw new ContractViolationException("acl", "must have at most " + ACL_MAX_ENTRIES + " entries, had " + acl.size());
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < acl.size(); i++) {
            String principal = Principal.requireValid("acl[" + i + "]", acl.get(i));
            if (!seen.add(principal)) {
                throw new ContractViolationException("acl[" + i + "]", "repeats '" + principal + "'");
            }
        }
        return List.copyOf(acl);
    }

    /**
     * @param field the field to name
     * @param value a list that must be empty, such as the ACL of a delete
     * @param why the end of the message, such as {@code "for a DELETE"}
     * @return an empty list
     * @throws ContractViolationException when {@code value} has entries
     */
    public static <T> List<T> requireEmpty(String field, List<T> value, String why) {
        if (value != null && !value.isEmpty()) {
            throw new ContractViolationException(field, "must be absent or empty " + why);
        }
        return List.of();
    }

    /**
     * @param metadata free key-value pairs; {@code null} means none
     * @return an unmodifiable copy that keeps the order of entries
     * @throws ContractViolationException naming {@code metadata} or {@code metadata.<key>}
     */
    public static Map<String, String> metadata(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        if (metadata.size() > METADATA_MAX_ENTRIES) {
            throw new ContractViolationException("metadata",
                    "must have at most " + METADATA_MAX_ENTRIES + " entries, had " + metadata.size());
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String key = entry.getKey();
            if (key == null || !METADATA_KEY.matcher(key).matches()) {
                throw new ContractViolationException("metadata",
                        "keys must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '.' and '-'");
            }
            String value = entry.getValue();
            if (value == null) {
                throw new ContractViolationException("metadata." + key, "must not be null");
            }
            if (lengthOf(value) > METADATA_VALUE_MAX_LENGTH) {
                throw new ContractViolationException("metadata." + key,
                        "must be at most " + METADATA_VALUE_MAX_LENGTH + " characters");
            }
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Whether {@code value} has a character that is not whitespace; the same test as the schemas' {@code pattern}. */
    static boolean isNotBlank(String value) {
        return NON_BLANK.matcher(value).find();
    }

    /** The length in Unicode code points, as JSON Schema counts {@code maxLength}. */
    static int lengthOf(String value) {
        return value.codePointCount(0, value.length());
    }
}
