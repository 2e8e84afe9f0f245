package io.kb.inference.generate.triton;

import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;

/**
 * The input tensors of one family of LLM models on Triton: each serving stack names its prompt, streaming switch
 * and sampling inputs differently. All of them answer the generated text in {@code text_output}, one delta per
 * streamed response.
 */
public enum TritonLlmProfile {

    /**
     * The vllm backend: sampling settings travel as one JSON string; no batch dimension, since the model's
     * {@code max_batch_size} is 0 (vLLM batches by itself).
     */
    VLLM("vllm", false) {
        @Override
        void addInputs(Inputs in, String prompt, int maxTokens, double temperature, boolean tokenCounts) {
            in.prompt(prompt);
            in.bool("stream", true);
            // The backend refuses stream=true unless the prompt is left out of the output.
            in.bool("exclude_input_in_output", true);
            in.text("sampling_parameters", "{\"max_tokens\":" + maxTokens + ",\"temperature\":" + temperature + "}");
            if (tokenCounts) {
                in.bool("return_num_input_tokens", true);
                in.bool("return_num_output_tokens", true);
            }
        }
    },

    /**
     * TensorRT-LLM's {@code inflight_batcher_llm} ensemble (or its {@code tensorrt_llm_bls} model): one tensor per
     * setting, each with a leading batch dimension because the model's {@code max_batch_size} is above 0.
     */
    TRTLLM_ENSEMBLE("trtllm-ensemble", true) {
        @Override
        void addInputs(Inputs in, String prompt, int maxTokens, double temperature, boolean tokenCounts) {
            in.prompt(prompt);
            in.int32("max_tokens", maxTokens);
            in.bool("stream", true);
            in.bool("exclude_input_in_output", true);
            in.fp32("temperature", (float) temperature);
        }
    },

    /**
     * TensorRT-LLM's LLM API model ({@code all_models/llmapi}): sampling inputs prefixed {@code sampling_param_};
     * no batch dimension, as its {@code model.yaml} sets {@code max_batch_size: 0}.
     */
    TRTLLM_LLMAPI("trtllm-llmapi", false) {
        @Override
        void addInputs(Inputs in, String prompt, int maxTokens, double temperature, boolean tokenCounts) {
            in.prompt(prompt);
            in.bool("streaming", true);
            in.int32("sampling_param_max_tokens", maxTokens);
            in.fp32("sampling_param_temperature", (float) temperature);
            in.bool("sampling_param_exclude_input_from_output", true);
        }
    };

    private final String configName;
    private final boolean batchDimensionByDefault;

    TritonLlmProfile(String configName, boolean batchDimensionByDefault) {
        this.configName = configName;
        this.batchDimensionByDefault = batchDimensionByDefault;
    }

    /**
     * Adds the inputs of one streamed generation.
     *
     * @param in          where the tensors go
     * @param prompt      the rendered prompt
     * @param maxTokens   the most tokens to generate
     * @param temperature the sampling temperature
     * @param tokenCounts whether to ask the backend to report token counts, where the layout can
     */
    abstract void addInputs(Inputs in, String prompt, int maxTokens, double temperature, boolean tokenCounts);

    /** The name used in configuration. */
    public String configName() {
        return configName;
    }

    /** Whether this layout's models take a leading batch dimension unless configured otherwise. */
    public boolean batchDimensionByDefault() {
        return batchDimensionByDefault;
    }

    /**
     * The layout with this configuration name.
     *
     * @throws IllegalArgumentException naming the known layouts, when there is none
     */
    public static TritonLlmProfile byName(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("triton.profile must be one of "
                        + Arrays.stream(values()).map(TritonLlmProfile::configName).toList() + ", was '" + name + "'"));
    }

    /**
     * Adds single-element input tensors to a request, every one with its data in {@code raw_input_contents} (the
     * protocol forbids mixing raw and typed contents in one request) and shaped {@code [1]} or, with a batch
     * dimension, {@code [1, 1]}.
     */
    static final class Inputs {

        private final ModelInferRequest.Builder request;
        private final String promptInput;
        private final List<Long> shape;

        /**
         * @param request     the request the inputs go into
         * @param promptInput the name of the prompt tensor
         * @param batched     whether to add the leading batch dimension
         */
        Inputs(ModelInferRequest.Builder request, String promptInput, boolean batched) {
            this.request = request;
            this.promptInput = promptInput;
            this.shape = batched ? List.of(1L, 1L) : List.of(1L);
        }

        void prompt(String text) {
            text(promptInput, text);
        }

        void text(String name, String value) {
            add(name, "BYTES", Tensors.encodeStrings(List.of(value)));
        }

        void bool(String name, boolean value) {
            add(name, "BOOL", Tensors.encodeBool(value));
        }

        void int32(String name, int value) {
            add(name, "INT32", Tensors.encodeInt32(new int[] {value}));
        }

        void fp32(String name, float value) {
            add(name, "FP32", Tensors.encodeFp32(new float[] {value}));
        }

        private void add(String name, String datatype, ByteString data) {
            request.addInputs(InferInputTensor.newBuilder().setName(name).setDatatype(datatype).addAllShape(shape))
                    .addRawInputContents(data);
        }
    }
}
