package io.kb.inference.generate.triton;

import java.util.Arrays;
import java.util.List;

import io.kb.inference.generate.PromptMessage;

/**
 * Turns chat messages into the one prompt text a Triton LLM model takes: its {@code text_input} is raw text, and
 * neither the vllm backend nor the TensorRT-LLM models apply the model's chat template, so the client must. Each
 * format ends where the assistant's answer begins.
 */
public enum PromptFormat {

    /** {@code <|im_start|>role ... <|im_end|>}: Qwen and the many models fine-tuned on ChatML. */
    CHATML("chatml") {
        @Override
        public String render(List<PromptMessage> messages) {
            StringBuilder out = new StringBuilder();
            for (PromptMessage m : messages) {
                out.append("<|im_start|>").append(m.role()).append('\n').append(m.content()).append("<|im_end|>\n");
            }
            return out.append("<|im_start|>assistant\n").toString();
        }
    },

    /**
     * Llama 3 headers. No {@code <|begin_of_text|>}: the model's tokenizer adds it on its own, and a second one
     * makes the answers worse.
     */
    LLAMA3("llama3") {
        @Override
        public String render(List<PromptMessage> messages) {
            StringBuilder out = new StringBuilder();
            for (PromptMessage m : messages) {
                header(out, m.role()).append(m.content()).append("<|eot_id|>");
            }
            return header(out, "assistant").toString();
        }

        private static StringBuilder header(StringBuilder out, String role) {
            return out.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n");
        }
    },

    /**
     * The messages' texts separated by blank lines, without roles: for a model whose own preprocessing applies its
     * template, or a completion model.
     */
    PLAIN("plain") {
        @Override
        public String render(List<PromptMessage> messages) {
            return String.join("\n\n", messages.stream().map(PromptMessage::content).toList());
        }
    };

    private final String configName;

    PromptFormat(String configName) {
        this.configName = configName;
    }

    /**
     * Renders the prompt.
     *
     * @param messages system, earlier turns, then the user turn
     * @return the text to send as the model's prompt input
     */
    public abstract String render(List<PromptMessage> messages);

    /** The name used in configuration. */
    public String configName() {
        return configName;
    }

    /**
     * The format with this configuration name.
     *
     * @throws IllegalArgumentException naming the known formats, when there is none
     */
    public static PromptFormat byName(String name) {
        return Arrays.stream(values()).filter(f -> f.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("triton.prompt-format must be one of "
                        + Arrays.stream(values()).map(PromptFormat::configName).toList() + ", was '" + name + "'"));
    }
}
