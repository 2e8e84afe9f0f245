package io.kb.retrieval.index.milvus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kb.contracts.FieldRules;
import io.kb.retrieval.access.AccessFilter;
import io.kb.retrieval.index.SearchFilter;

/**
 * The Milvus boolean expression of one search: the caller's tenant (the partition key, so only the tenant's
 * partitions are searched), {@code ARRAY_CONTAINS_ANY} of the document ACL and the caller's principals, and the
 * request's metadata and document filters. Every value travels as a template value ({@code {name}} in the
 * expression), never inside the expression text, so no tenant, principal, metadata value or document id can change
 * what the expression means. Metadata keys are part of the text; {@link FieldRules#METADATA_KEY_REGEX} admits only
 * letters, digits, {@code _ . -}, which cannot leave the quoted JSON key.
 *
 * @param expression the filter text
 * @param values the template values by name: strings, and lists of strings
 */
record AccessExpression(String expression, Map<String, Object> values) {

    static final String TENANT = "tenant";
    static final String PRINCIPALS = "principals";
    static final String DOCUMENTS = "documents";
    static final String META_VALUE = "meta";

    /** Copies the values. */
    AccessExpression {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * @param access the caller's access rule
     * @param filter the request's filters
     * @return the expression that admits exactly the chunks the rule and the filters admit
     */
    static AccessExpression of(AccessFilter access, SearchFilter filter) {
        Map<String, Object> values = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        text.append(ChunkRows.TENANT).append(" == {").append(TENANT).append('}');
        values.put(TENANT, access.tenant());
        text.append(" and ARRAY_CONTAINS_ANY(").append(ChunkRows.ACL).append(", {").append(PRINCIPALS).append("})");
        values.put(PRINCIPALS, sorted(access.principals()));
        int index = 0;
        for (Map.Entry<String, String> entry : new TreeMap<>(filter.metadata()).entrySet()) {
            String name = META_VALUE + index++;
            text.append(" and ").append(ChunkRows.META).append("[\"").append(checkedKey(entry.getKey()))
                    .append("\"] == {").append(name).append('}');
            values.put(name, entry.getValue());
        }
        if (!filter.documentIds().isEmpty()) {
            text.append(" and ").append(ChunkRows.DOCUMENT_ID).append(" in {").append(DOCUMENTS).append('}');
            values.put(DOCUMENTS, sorted(filter.documentIds()));
        }
        return new AccessExpression(text.toString(), values);
    }

    /** The key again, after checking it against the contract's rule, which {@link SearchFilter} has applied. */
    private static String checkedKey(String key) {
        if (!key.matches(FieldRules.METADATA_KEY_REGEX)) {
            throw new IllegalArgumentException("metadata key '" + key + "' does not match "
                    + FieldRules.METADATA_KEY_REGEX);
        }
        return key;
    }

    private static List<String> sorted(Collection<String> values) {
        List<String> list = new ArrayList<>(values);
        list.sort(null);
        return List.copyOf(list);
    }
}
