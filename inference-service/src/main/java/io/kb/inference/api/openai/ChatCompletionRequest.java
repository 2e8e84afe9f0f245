package io.kb.inference.api.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kb.inference.generate.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/chat/completions}, the fields this API reads; others (temperature, max_tokens, tools...) are
 * accepted and ignored, since the pipeline decides how to answer. Who asks comes from the token, never from
 * {@code user}.
 *
 * @param model         the model id, as {@code GET /v1/models} lists it
 * @param messages      the conversation: the last message is the question and must be the user's, earlier user and
 *                      assistant messages are its history; system and developer messages are ignored
 * @param stream        whether to stream the answer as {@code chat.completion.chunk} events
 * @param streamOptions {@code include_usage}: whether a stream ends with a usage chunk
 * @param n             how many choices; only 1 is offered
 * @param user          the caller's own label for the end user; not used for identity
 */
public record ChatCompletionRequest(String model, List<Message> messages, Boolean stream,
        @JsonProperty("stream_options") StreamOptions streamOptions, Integer n, String user) {

    /** The longest question, as for {@code /api/v1/answers}. */
    static final int MAX_QUESTION = 4000;
    /** The longest earlier message. */
    static final int MAX_TURN = 8000;
    /** The most earlier messages kept as history; older ones are dropped. */
    static final int MAX_HISTORY = 40;

    /**
     * One message.
     *
     * @param role    {@code system}, {@code developer}, {@code user} or {@code assistant}
     * @param content a string, or an array of {@code {"type": "text", "text": ...}} parts
     */
    public record Message(String role, JsonNode content) {
    }

    /** @param includeUsage whether a usage chunk follows the last choice chunk */
    public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {
    }

    /**
     * The question and its history, read from the messages.
     *
     * @param question the last user message
     * @param history  the user and assistant messages before it, oldest first, at most {@link #MAX_HISTORY}
     */
    record Conversation(String question, List<PromptMessage> history) {
    }

    boolean streaming() {
        return Boolean.TRUE.equals(stream);
    }

    boolean includeUsage() {
        return streamOptions != null && Boolean.TRUE.equals(streamOptions.includeUsage());
    }

    /**
     * Checks the request and reads the conversation.
     *
     * @param servedModel the model this API serves
     * @throws OpenAiApiException a 400 naming the field at fault, or a 404 for another model
     */
    Conversation conversation(String servedModel) {
        if (model == null || model.isBlank()) {
            throw OpenAiApiException.invalid("model", "'model' is required; GET /v1/models lists the models.");
        }
        if (!servedModel.equals(model)) {
            throw OpenAiApiException.modelNotFound(model);
        }
        if (n != null && n != 1) {
            throw OpenAiApiException.invalid("n", "Only one choice is offered: 'n' must be 1, was " + n + ".");
        }
        if (messages == null || messages.isEmpty()) {
            throw OpenAiApiException.invalid("messages", "'messages' must hold at least the user's question.");
        }
        List<PromptMessage> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            String param = "messages[" + i + "]";
            if (m == null) {
                throw OpenAiApiException.invalid(param, param + " must be a message object.");
            }
            String role = m.role() == null ? "" : m.role().strip().toLowerCase(Locale.ROOT);
            boolean last = i == messages.size() - 1;
            switch (role) {
                case "system", "developer" -> {
                    if (last) {
                        throw OpenAiApiException.invalid(param + ".role",
                                "The last message must be the user's question, was a " + role + " message.");
                    }
                    // The pipeline has its own instructions: a caller's system prompt could tell it to ignore the
                    // sources, so it is left out.
                    text(m.content(), param, true);
                }
                case "user" -> {
                    String text = text(m.content(), param, false);
                    if (text.isBlank()) {
                        throw OpenAiApiException.invalid(param + ".content", "A user message must not be empty.");
                    }
                    turns.add(PromptMessage.user(text));
                }
                case "assistant" -> {
                    if (last) {
                        throw OpenAiApiException.invalid(param + ".role",
                                "The last message must be the user's question, was an assistant message.");
                    }
                    String text = text(m.content(), param, true);
                    if (!text.isBlank()) {
                        turns.add(PromptMessage.assistant(text));
                    }
                }
                default -> throw OpenAiApiException.invalid(param + ".role", "Role '" + m.role()
                        + "' is not supported; use system, developer, user or assistant (this API offers no tools).");
            }
        }
        String question = turns.removeLast().content().strip();
        if (question.length() > MAX_QUESTION) {
            throw OpenAiApiException.invalid("messages[" + (messages.size() - 1) + "].content",
                    "The question is " + question.length() + " characters long; at most " + MAX_QUESTION
                            + " are accepted.");
        }
        for (PromptMessage turn : turns) {
            if (turn.content().length() > MAX_TURN) {
                throw OpenAiApiException.invalid("messages", "An earlier message is " + turn.content().length()
                        + " characters long; at most " + MAX_TURN + " are accepted.");
            }
        }
        List<PromptMessage> history = turns.size() <= MAX_HISTORY ? turns
                : turns.subList(turns.size() - MAX_HISTORY, turns.size());
        return new Conversation(question, List.copyOf(history));
    }

    /** The text of a message's content: a string, or the text parts of an array joined. */
    private static String text(JsonNode content, String param, boolean mayBeNull) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            if (mayBeNull) {
                return "";
            }
            throw OpenAiApiException.invalid(param + ".content", param + " needs a 'content'.");
        }
        if (content.isString()) {
            return content.asString();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < content.size(); i++) {
                JsonNode part = content.get(i);
                String partParam = param + ".content[" + i + "]";
                if (!"text".equals(part.path("type").asString(null)) || !part.path("text").isString()) {
                    throw OpenAiApiException.invalid(partParam, "Only text parts ({\"type\": \"text\", \"text\": "
                            + "...}) are supported, " + partParam + " is not one.");
                }
                text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asString());
            }
            return text.toString();
        }
        throw OpenAiApiException.invalid(param + ".content",
                param + ".content must be a string or an array of text parts.");
    }
}
