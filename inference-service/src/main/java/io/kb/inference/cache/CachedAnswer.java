package io.kb.inference.cache;

import io.kb.inference.context.Source;
import java.util.List;

/**
 * An answer as the cache keeps it.
 *
 * @param answer   the checked answer text
 * @param cited    the sources it cites
 * @param dontKnow whether it is the refusal
 * @param tier     the tier that produced it
 */
public record CachedAnswer(String answer, List<Source> cited, boolean dontKnow, String tier) {

    /** Copies the list. */
    public CachedAnswer {
        cited = List.copyOf(cited);
    }
}
