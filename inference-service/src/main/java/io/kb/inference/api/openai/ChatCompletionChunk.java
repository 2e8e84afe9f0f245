package io.kb.inference.api.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.kb.inference.api.AnswerResponseBody;
import io.kb.inference.pipeline.Answer;
import java.util.List;

/**
 * One event of a streamed answer, {@code chat.completion.chunk}: the first names the role, the next carry the text
 * as it is produced, the last has {@code finish_reason: stop} with the {@code citations} and {@code kb} fields of
 * {@link ChatCompletion}; with {@code include_usage}, a chunk without choices carries the token counts.
 *
 * @param id        the completion's id, the same in every chunk
 * @param object    {@code chat.completion.chunk}
 * @param created   when the completion was created, in seconds since the epoch
 * @param model     the model id asked for
 * @param choices   one choice, or none in the usage chunk
 * @param usage     the token counts, in the usage chunk only
 * @param citations what each marker points at, in the last choice chunk only
 * @param kb        how the answer came about, in the last choice chunk only
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChatCompletionChunk(String id, String object, long created, String model, List<Choice> choices,
        ChatCompletion.Usage usage, List<AnswerResponseBody.Citation> citations, ChatCompletion.AnswerInfo kb) {

    /**
     * @param index        always 0
     * @param delta        what this chunk adds
     * @param finishReason {@code stop} in the last choice chunk, else {@code null}
     */
    public record Choice(int index, Delta delta,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("finish_reason") String finishReason) {
    }

    /**
     * @param role    {@code assistant} in the first chunk
     * @param content the text this chunk adds
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delta(String role, String content) {
    }

    /** Builds the chunks of one completion. */
    record Stream(String id, long created, String model) {

        ChatCompletionChunk role() {
            return choice(new Delta("assistant", ""), null);
        }

        ChatCompletionChunk content(String text) {
            return choice(new Delta(null, text), null);
        }

        ChatCompletionChunk finish(Answer a) {
            return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                    List.of(new Choice(0, new Delta(null, null), "stop")), null, ChatCompletion.citations(a),
                    ChatCompletion.AnswerInfo.of(a));
        }

        ChatCompletionChunk usage(Answer a) {
            return new ChatCompletionChunk(id, "chat.completion.chunk", created, model, List.of(),
                    ChatCompletion.Usage.of(a), null, null);
        }

        private ChatCompletionChunk choice(Delta delta, String finishReason) {
            return new ChatCompletionChunk(id, "chat.completion.chunk", created, model,
                    List.of(new Choice(0, delta, finishReason)), null, null, null);
        }
    }
}
