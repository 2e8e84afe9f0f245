package io.kb.inference.cite;

import io.kb.inference.context.Source;
import java.util.List;

/**
 * An answer after its citations were checked.
 *
 * @param text     the answer with markers that point at nothing removed
 * @param cited    the sources its markers point at, in the order they are first cited
 * @param dontKnow whether the answer says the sources do not answer the question (a refusal, or a model's answer
 *                 that cites nothing, which is unsupported and replaced by the refusal)
 */
public record CitedAnswer(String text, List<Source> cited, boolean dontKnow) {

    /** Copies the list. */
    public CitedAnswer {
        cited = List.copyOf(cited);
    }
}
