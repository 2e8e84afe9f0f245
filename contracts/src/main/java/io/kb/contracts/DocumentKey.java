package io.kb.contracts;

/**
 * The Kafka key of every topic of the contract, written {@code tenant/documentId}.
 *
 * <p>Keying by document keeps all events of one document in order on one partition. Tenants never
 * contain {@code /} and document ids may, so the written form splits at the first {@code /}.
 *
 * @param tenant the tenant that owns the document, such as {@code acme}
 * @param documentId the producer's id of the document, unique within the tenant; it may contain {@code /}
 */
public record DocumentKey(String tenant, String documentId) {

    /** Validates both parts with {@link FieldRules}. */
    public DocumentKey {
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
    }

    /** The key as it is written to Kafka: {@code tenant/documentId}. */
    public String asString() {
        return tenant + "/" + documentId;
    }

    /**
     * Reads a key written by {@link #asString()}.
     *
     * @param key such as {@code acme/wiki/pages/42}
     * @return the key, here with tenant {@code acme} and document id {@code wiki/pages/42}
     * @throws ContractViolationException naming {@code key} when there is no {@code /}, or naming
     *         {@code tenant} or {@code documentId} when a part is malformed
     */
    public static DocumentKey parse(String key) {
        if (key == null) {
            throw new ContractViolationException("key", "is required");
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new ContractViolationException("key", "must be written 'tenant/documentId'");
        }
        return new DocumentKey(key.substring(0, slash), key.substring(slash + 1));
    }
}
