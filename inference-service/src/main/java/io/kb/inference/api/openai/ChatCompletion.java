package io.kb.inference.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kb.inference.api.AnswerResponseBody;
import io.kb.inference.pipeline.Answer;
import java.util.List;

/**
 * A whole answer as {@code chat.completion}: one choice whose message holds the text with its citation markers,
 * the token counts, and two fields OpenAI does not have: {@code citations}, what each marker points at, and
 * {@code kb}, how the answer came about.
 *
 * @param id        the completion's id
 * @param object    {@code chat.completion}
 * @param created   when it was created, in seconds since the epoch
 * @param model     the model id asked for
 * @param choices   the one choice
 * @param usage     token counts
 * @param citations what each marker in the text points at
 * @param kb        the answer's id (for feedback), tier and degradation
 */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
        Usage usage, List<AnswerResponseBody.Citation> citations, AnswerInfo kb) {

    /**
     * @param index        always 0
     * @param message      the assistant's message
     * @param finishReason {@code stop}
     */
    public record Choice(int index, AssistantMessage message, @JsonProperty("finish_reason") String finishReason) {
    }

    /**
     * @param role    {@code assistant}
     * @param content the answer, with markers such as {@code [1]}
     */
    public record AssistantMessage(String role, String content) {
    }

    /**
     * @param promptTokens     tokens the generator read
     * @param completionTokens tokens it wrote
     * @param totalTokens      both
     */
    public record Usage(@JsonProperty("prompt_tokens") int promptTokens,
            @JsonProperty("completion_tokens") int completionTokens, @JsonProperty("total_tokens") int totalTokens) {

        static Usage of(Answer a) {
            return new Usage(a.promptTokens(), a.completionTokens(), a.promptTokens() + a.completionTokens());
        }
    }

    /**
     * How an answer came about, as {@code /api/v1/answers} reports it.
     *
     * @param answerId the answer's id, for {@code POST /api/v1/answers/{id}/feedback}
     * @param query    the standalone query that was searched
     * @param dontKnow whether the sources did not answer the question
     * @param tier     the tier that answered ({@code none} when the evidence was too weak to ask one)
     * @param reason   why that tier
     * @param degraded present when a tier other than the preferred one answered
     * @param cached   whether the answer came from the cache
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnswerInfo(String answerId, String query, boolean dontKnow, String tier, String reason,
            AnswerResponseBody.Degraded degraded, boolean cached) {

        static AnswerInfo of(Answer a) {
            return new AnswerInfo(a.id(), a.query(), a.dontKnow(), a.tier(), a.reason(),
                    a.degradedFrom() == null ? null
                            : new AnswerResponseBody.Degraded(a.degradedFrom(), a.reason(), a.detail()),
                    a.cached());
        }
    }

    static ChatCompletion of(String id, long created, String model, Answer a) {
        return new ChatCompletion(id, "chat.completion", created, model,
                List.of(new Choice(0, new AssistantMessage("assistant", a.text()), "stop")), Usage.of(a),
                citations(a), AnswerInfo.of(a));
    }

    static List<AnswerResponseBody.Citation> citations(Answer a) {
        return a.citations().stream().map(AnswerResponseBody.Citation::of).toList();
    }
}
