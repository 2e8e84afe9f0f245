package io.kb.inference.generate;

/**
 * One message of a chat prompt.
 *
 * @param role    {@code system}, {@code user} or {@code assistant}
 * @param content the text
 */
public record PromptMessage(String role, String content) {

    /** Checks the role is one a chat model knows. */
    public PromptMessage {
        if (!"system".equals(role) && !"user".equals(role) && !"assistant".equals(role)) {
            throw new IllegalArgumentException("role must be system, user or assistant, was " + role);
        }
        if (content == null) {
            throw new IllegalArgumentException("content must not be null");
        }
    }

    public static PromptMessage system(String content) {
        return new PromptMessage("system", content);
    }

    public static PromptMessage user(String content) {
        return new PromptMessage("user", content);
    }

    public static PromptMessage assistant(String content) {
        return new PromptMessage("assistant", content);
    }
}
