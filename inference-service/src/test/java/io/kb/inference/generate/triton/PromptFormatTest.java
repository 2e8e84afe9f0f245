package io.kb.inference.generate.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.kb.inference.generate.PromptMessage;
import org.junit.jupiter.api.Test;

/** Each prompt format renders the chat messages and ends where the assistant's answer starts. */
class PromptFormatTest {

    private static final List<PromptMessage> CHAT = List.of(PromptMessage.system("Use the sources."),
            PromptMessage.user("Hi"), PromptMessage.assistant("Hello."), PromptMessage.user("What is RAG?"));

    @Test
    void chatmlWrapsEachMessageAndOpensTheAssistantTurn() {
        assertThat(PromptFormat.CHATML.render(CHAT)).isEqualTo("""
                <|im_start|>system
                Use the sources.<|im_end|>
                <|im_start|>user
                Hi<|im_end|>
                <|im_start|>assistant
                Hello.<|im_end|>
                <|im_start|>user
                What is RAG?<|im_end|>
                <|im_start|>assistant
                """);
    }

    @Test
    void llama3UsesHeadersAndLeavesTheBeginTokenToTheTokenizer() {
        assertThat(PromptFormat.LLAMA3.render(CHAT.subList(0, 2))).isEqualTo(
                "<|start_header_id|>system<|end_header_id|>\n\nUse the sources.<|eot_id|>"
                        + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        + "<|start_header_id|>assistant<|end_header_id|>\n\n");
    }

    @Test
    void plainJoinsTheTextsWithBlankLines() {
        assertThat(PromptFormat.PLAIN.render(CHAT)).isEqualTo("Use the sources.\n\nHi\n\nHello.\n\nWhat is RAG?");
    }

    @Test
    void shouldFindFormatsByTheirConfigurationName() {
        assertThat(PromptFormat.byName("llama3")).isEqualTo(PromptFormat.LLAMA3);
        assertThatThrownBy(() -> PromptFormat.byName("mistral")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[chatml, llama3, plain]").hasMessageContaining("mistral");
    }
}
