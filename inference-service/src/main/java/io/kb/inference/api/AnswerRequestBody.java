package io.kb.inference.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.kb.inference.generate.PromptMessage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/answers} and {@code /api/v1/answers/stream}. Who asks comes from the token, never the body.
 *
 * @param question the question, in any language
 * @param history  the conversation before it, oldest first (at most 40 turns)
 * @param cache    whether a cached answer may be served (default true)
 */
public record AnswerRequestBody(
        @NotBlank @Size(max = 4000) String question,
        @Size(max = 40) List<@Valid @NotNull Turn> history,
        Boolean cache) {

    /**
     * One earlier turn.
     *
     * @param role    {@code user} or {@code assistant}
     * @param content what was said
     */
    public record Turn(@NotNull Role role, @NotNull @Size(max = 8000) String content) {

        PromptMessage toMessage() {
            return role == Role.USER ? PromptMessage.user(content) : PromptMessage.assistant(content);
        }
    }

    /** Who said a turn, written in lower case on the wire. */
    public enum Role {
        USER, ASSISTANT;

        @JsonCreator
        static Role of(String value) {
            return Role.valueOf(value.strip().toUpperCase(Locale.ROOT));
        }
    }

    List<PromptMessage> historyMessages() {
        return history == null ? List.of() : history.stream().map(Turn::toMessage).toList();
    }
}
