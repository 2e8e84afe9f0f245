package io.kb.inference.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kb.inference.context.Source;
import io.kb.inference.pipeline.Answer;
import java.util.List;
import java.util.Map;

/**
 * An answer as the API returns it, whole or as the stream's final event.
 *
 * @param id        the answer's id, for feedback
 * @param question  the question as asked
 * @param query     the standalone query that was searched (differs from the question for follow-ups)
 * @param answer    the text, with citation markers such as {@code [1]}
 * @param dontKnow  whether the sources did not answer the question
 * @param citations what each marker points at
 * @param tier      the tier that answered ({@code none} when the evidence was too weak to ask one)
 * @param reason    why that tier: {@code healthy}, {@code eased}, {@code cache_hit}, {@code weak_evidence}, or why
 *                  the preferred tier did not answer
 * @param degraded  present when a tier other than the preferred one answered
 * @param cached    whether the answer came from the cache
 * @param timings   milliseconds by stage ({@code condense}, {@code retrieve}, {@code assemble}, {@code generate},
 *                  {@code cite}), {@code ttft} and {@code total}
 * @param usage     token counts
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnswerResponseBody(String id, String question, String query, String answer, boolean dontKnow,
        List<Citation> citations, String tier, String reason, Degraded degraded, boolean cached,
        Map<String, Double> timings, Usage usage) {

    /**
     * One cited source.
     *
     * @param marker      the number in the answer's markers
     * @param documentId  the document
     * @param title       its title
     * @param chunkId     the chunk
     * @param page        the page, for paged formats
     * @param startOffset where the passage starts in the document's text
     * @param endOffset   where it ends
     * @param text        the cited passage
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Citation(int marker, String documentId, String title, String chunkId, Integer page,
            int startOffset, int endOffset, String text) {

        /** The citation of a numbered source. */
        public static Citation of(Source s) {
            return new Citation(s.number(), s.documentId(), s.title(), s.chunkId(), s.page(), s.startOffset(),
                    s.endOffset(), s.text());
        }
    }

    /**
     * @param from   the preferred tier
     * @param reason why it did not answer
     * @param detail what happened to each tier tried
     */
    public record Degraded(String from, String reason, String detail) {
    }

    /**
     * @param promptTokens     tokens the generator read
     * @param completionTokens tokens it wrote
     */
    public record Usage(int promptTokens, int completionTokens) {
    }

    static AnswerResponseBody of(Answer a) {
        return new AnswerResponseBody(a.id(), a.question(), a.query(), a.text(), a.dontKnow(),
                a.citations().stream().map(Citation::of).toList(), a.tier(), a.reason(),
                a.degradedFrom() == null ? null : new Degraded(a.degradedFrom(), a.reason(), a.detail()), a.cached(),
                a.timings(), new Usage(a.promptTokens(), a.completionTokens()));
    }
}
