package io.kb.inference.generate.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.google.protobuf.ByteString;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The request each profile sends, as the server receives it: tensor names, datatypes, shapes and values. */
class TritonLlmProfileTest {

    private static final List<PromptMessage> MESSAGES = List.of(PromptMessage.system("Cite sources."),
            PromptMessage.user("Why?"));
    private static final String PROMPT = PromptFormat.CHATML.render(MESSAGES);

    private ScriptedTritonServer triton;

    @BeforeEach
    void start() {
        triton = ScriptedTritonServer.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        triton.close();
    }

    private ModelInferRequest sent(TritonGeneratorProperties properties) {
        try (TritonGenerator generator = new TritonGenerator(triton.channel(), properties)) {
            generator.generate(new GenerationRequest("Why?", Locale.ENGLISH, List.of(), MESSAGES, 128,
                    Instant.now().plusSeconds(10)), TokenSink.discard());
        }
        ModelInferRequest request = triton.requests().getLast();
        assertThat(request.getRawInputContentsCount()).isEqualTo(request.getInputsCount());
        assertThat(request.getInputsList()).allSatisfy(i -> assertThat(i.hasContents()).isFalse());
        return request;
    }

    private static TritonGeneratorProperties profile(String profile) {
        return new TritonGeneratorProperties("triton:8001", "llm", profile, Duration.ofSeconds(30), null, null, 0.5,
                null, null, null, null, null, null);
    }

    private static ByteString raw(ModelInferRequest request, String input) {
        for (int i = 0; i < request.getInputsCount(); i++) {
            if (request.getInputs(i).getName().equals(input)) {
                return request.getRawInputContents(i);
            }
        }
        throw new AssertionError("no input " + input + " in " + request.getInputsList());
    }

    private static String text(ModelInferRequest request, String input) {
        return Tensors.decodeStrings(raw(request, input)).getFirst();
    }

    private static int int32(ModelInferRequest request, String input) {
        return Tensors.decodeInt32(raw(request, input))[0];
    }

    private static float fp32(ModelInferRequest request, String input) {
        return Tensors.decodeFp32(raw(request, input))[0];
    }

    @Test
    void vllmSendsSamplingParametersAsJsonWithoutBatchDimension() {
        ModelInferRequest request = sent(profile("vllm"));

        assertThat(request.getInputsList()).extracting(InferInputTensor::getName, InferInputTensor::getDatatype,
                InferInputTensor::getShapeList).containsExactly(
                tuple("text_input", "BYTES", List.of(1L)),
                tuple("stream", "BOOL", List.of(1L)),
                tuple("exclude_input_in_output", "BOOL", List.of(1L)),
                tuple("sampling_parameters", "BYTES", List.of(1L)));
        assertThat(text(request, "text_input")).isEqualTo(PROMPT);
        assertThat(raw(request, "stream")).isEqualTo(Tensors.encodeBool(true));
        assertThat(raw(request, "exclude_input_in_output")).isEqualTo(Tensors.encodeBool(true));
        assertThat(text(request, "sampling_parameters")).isEqualTo("{\"max_tokens\":128,\"temperature\":0.5}");
    }

    @Test
    void vllmAsksForTokenCountsWhenConfigured() {
        ModelInferRequest request = sent(new TritonGeneratorProperties("triton:8001", "llm", "vllm", null, null, null,
                null, null, null, null, null, null, true));

        assertThat(request.getInputsList()).extracting(InferInputTensor::getName)
                .contains("return_num_input_tokens", "return_num_output_tokens");
        assertThat(raw(request, "return_num_output_tokens")).isEqualTo(Tensors.encodeBool(true));
    }

    @Test
    void trtllmEnsembleSendsOneTensorPerSettingWithLeadingBatchDimension() {
        ModelInferRequest request = sent(profile("trtllm-ensemble"));

        assertThat(request.getInputsList()).extracting(InferInputTensor::getName, InferInputTensor::getDatatype,
                InferInputTensor::getShapeList).containsExactly(
                tuple("text_input", "BYTES", List.of(1L, 1L)),
                tuple("max_tokens", "INT32", List.of(1L, 1L)),
                tuple("stream", "BOOL", List.of(1L, 1L)),
                tuple("exclude_input_in_output", "BOOL", List.of(1L, 1L)),
                tuple("temperature", "FP32", List.of(1L, 1L)));
        assertThat(text(request, "text_input")).isEqualTo(PROMPT);
        assertThat(int32(request, "max_tokens")).isEqualTo(128);
        assertThat(fp32(request, "temperature")).isEqualTo(0.5f);
    }

    @Test
    void trtllmLlmapiSendsPrefixedSamplingParametersWithoutBatchDimension() {
        ModelInferRequest request = sent(profile("trtllm-llmapi"));

        assertThat(request.getInputsList()).extracting(InferInputTensor::getName, InferInputTensor::getDatatype,
                InferInputTensor::getShapeList).containsExactly(
                tuple("text_input", "BYTES", List.of(1L)),
                tuple("streaming", "BOOL", List.of(1L)),
                tuple("sampling_param_max_tokens", "INT32", List.of(1L)),
                tuple("sampling_param_temperature", "FP32", List.of(1L)),
                tuple("sampling_param_exclude_input_from_output", "BOOL", List.of(1L)));
        assertThat(text(request, "text_input")).isEqualTo(PROMPT);
        assertThat(raw(request, "streaming")).isEqualTo(Tensors.encodeBool(true));
        assertThat(int32(request, "sampling_param_max_tokens")).isEqualTo(128);
        assertThat(fp32(request, "sampling_param_temperature")).isEqualTo(0.5f);
    }

    @Test
    void configuredPromptTensorAndBatchDimensionOverrideTheProfile() {
        ModelInferRequest request = sent(new TritonGeneratorProperties("triton:8001", "llm", "vllm", null, "3",
                "plain", null, null, null, "prompt", null, true, null));

        assertThat(request.getModelVersion()).isEqualTo("3");
        assertThat(request.getInputs(0).getName()).isEqualTo("prompt");
        assertThat(request.getInputsList()).allSatisfy(i -> assertThat(i.getShapeList()).containsExactly(1L, 1L));
        assertThat(text(request, "prompt")).isEqualTo("Cite sources.\n\nWhy?");
    }
}
