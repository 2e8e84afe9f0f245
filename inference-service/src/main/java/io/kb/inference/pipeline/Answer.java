package io.kb.inference.pipeline;

import io.kb.inference.context.Source;
import java.util.List;
import java.util.Map;

/**
 * An answer with everything the response shows.
 *
 * @param id               the answer's id, for feedback
 * @param question         the question as asked
 * @param query            the standalone query that was searched
 * @param text             the answer, with checked citation markers
 * @param citations        the sources the markers point at, in the order first cited
 * @param dontKnow         whether the answer is the refusal
 * @param tier             the tier that produced it ({@code none} when the evidence was too weak to ask any)
 * @param reason           why that tier (see {@code TieredGeneration}); {@code weak_evidence} or {@code cache_hit}
 * @param degradedFrom     the preferred tier when another answered, else {@code null}
 * @param detail           what happened to the tiers tried before, else {@code null}
 * @param cached           whether the answer came from the cache
 * @param timings          milliseconds by stage, plus {@code ttft} and {@code total}
 * @param promptTokens     tokens the generator read
 * @param completionTokens tokens it wrote
 */
public record Answer(String id, String question, String query, String text, List<Source> citations,
        boolean dontKnow, String tier, String reason, String degradedFrom, String detail, boolean cached,
        Map<String, Double> timings, int promptTokens, int completionTokens) {

    /** Copies the collections. */
    public Answer {
        citations = List.copyOf(citations);
        timings = Map.copyOf(timings);
    }
}
