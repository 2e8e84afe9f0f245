package io.kb.inference.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kb.inference.generate.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class ChatCompletionRequestTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void keepsTheLatestFortyEarlierMessagesAsHistoryAndLeavesSystemAndDeveloperMessagesOut() {
        List<String> messages = new ArrayList<>();
        messages.add("{\"role\":\"system\",\"content\":\"Answer like a pirate.\"}");
        for (int i = 0; i < 25; i++) {
            messages.add("{\"role\":\"user\",\"content\":\"question " + i + "\"}");
            messages.add("{\"role\":\"assistant\",\"content\":\"answer " + i + "\"}");
        }
        messages.add("{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"Be brief.\"}]}");
        messages.add("{\"role\":\"user\",\"content\":\"  and now?  \"}");

        ChatCompletionRequest.Conversation c = read("{\"model\":\"kb\",\"messages\":[" + String.join(",", messages)
                + "]}").conversation("kb");

        assertThat(c.question()).isEqualTo("and now?");
        assertThat(c.history()).hasSize(ChatCompletionRequest.MAX_HISTORY);
        assertThat(c.history().getFirst()).isEqualTo(PromptMessage.user("question 5"));
        assertThat(c.history().getLast()).isEqualTo(PromptMessage.assistant("answer 24"));
        assertThat(c.history()).extracting(PromptMessage::content).noneMatch(t -> t.contains("pirate")
                || t.contains("brief"));
    }

    @Test
    void anAssistantMessageWithoutContentIsSkippedAndTextPartsAreJoined() {
        ChatCompletionRequest.Conversation c = read("""
                {"model":"kb","messages":[
                  {"role":"user","content":"first"},
                  {"role":"assistant","content":null},
                  {"role":"USER","content":[{"type":"text","text":"one"},{"type":"text","text":"two"}]}]}
                """).conversation("kb");

        assertThat(c.question()).isEqualTo("one\ntwo");
        assertThat(c.history()).containsExactly(PromptMessage.user("first"));
    }

    @Test
    void anEarlierMessageOverTheLimitIsRefusedNamingTheMessages() {
        String longTurn = "x".repeat(ChatCompletionRequest.MAX_TURN + 1);
        ChatCompletionRequest request = read("{\"model\":\"kb\",\"messages\":[{\"role\":\"assistant\",\"content\":\""
                + longTurn + "\"},{\"role\":\"user\",\"content\":\"why?\"}]}");

        assertThatThrownBy(() -> request.conversation("kb")).isInstanceOfSatisfying(OpenAiApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.body().error().param()).isEqualTo("messages");
            assertThat(e.getMessage()).contains(Integer.toString(ChatCompletionRequest.MAX_TURN));
        });
    }

    @Test
    void streamOptionsAreReadFromTheirSnakeCaseNames() {
        ChatCompletionRequest request = read("""
                {"model":"kb","stream":true,"stream_options":{"include_usage":true},"messages":[]}""");

        assertThat(request.streaming()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(read("{\"model\":\"kb\",\"messages\":[]}").includeUsage()).isFalse();
    }

    private ChatCompletionRequest read(String body) {
        return json.readValue(body, ChatCompletionRequest.class);
    }
}
