package io.kb.retrieval.index;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.kb.contracts.FieldRules;

/**
 * Restrictions a search request adds to the caller's access filter; the index applies them inside the
 * query, like the access filter. An empty part restricts nothing.
 *
 * @param metadata pairs every returned chunk's document metadata must contain (equality, all of them)
 * @param documentIds the documents the chunks must come from (any of them); empty means all
 */
public record SearchFilter(Map<String, String> metadata, Set<String> documentIds) {

    /** The filter that restricts nothing. */
    public static final SearchFilter NONE = new SearchFilter(Map.of(), Set.of());

    /** Checks keys and ids with the contract's field rules; the parts become unmodifiable copies. */
    public SearchFilter {
        metadata = FieldRules.metadata(metadata);
        if (documentIds == null || documentIds.isEmpty()) {
            documentIds = Set.of();
        } else {
            Set<String> ids = new LinkedHashSet<>();
            for (String id : documentIds) {
                ids.add(FieldRules.requireDocumentId(id));
            }
            documentIds = Set.copyOf(ids);
        }
    }

    /**
     * @param metadata pairs every document must have
     * @return a filter on metadata only
     */
    public static SearchFilter metadata(Map<String, String> metadata) {
        return new SearchFilter(metadata, Set.of());
    }

    /**
     * @param documentIds the documents to search within
     * @return a filter on documents only
     */
    public static SearchFilter documents(Collection<String> documentIds) {
        return new SearchFilter(Map.of(), documentIds == null ? Set.of() : new LinkedHashSet<>(documentIds));
    }

    /** Whether the filter restricts nothing. */
    public boolean isEmpty() {
        return metadata.isEmpty() && documentIds.isEmpty();
    }
}
