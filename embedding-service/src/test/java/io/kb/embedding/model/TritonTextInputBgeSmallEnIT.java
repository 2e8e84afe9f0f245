package io.kb.embedding.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import io.grpc.ManagedChannel;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the Triton adapter for a model that tokenizes server-side (an ensemble or Python
 * backend taking a BYTES tensor of texts), against {@link OnnxBackedTriton} serving the bundled ONNX model.
 */
class TritonTextInputBgeSmallEnIT extends BgeSmallEnContract {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final TritonOptions.Model HOSTED = OnnxBackedTriton.textInput("bge_small_en_ensemble", 4);

    private static OnnxEmbeddingModel onnx;
    private static OnnxBackedTriton triton;
    private static ManagedChannel channel;
    private static TritonEmbeddingModel model;

    @BeforeAll
    static void start() {
        onnx = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15, OnnxOptions.DEFAULTS);
        triton = OnnxBackedTriton.inProcess(onnx, HOSTED, DEADLINE.toNanos() / 1000);
        channel = triton.channel();
        model = TritonEmbeddingModel.connect(channel, HOSTED, DEADLINE);
    }

    @AfterAll
    static void stop() {
        model.close();
        channel.shutdownNow();
        triton.close();
        onnx.close();
    }

    @AfterEach
    void serveNormally() {
        assertThat(triton.violations()).as("requests Triton would refuse").isEmpty();
        triton.reset();
    }

    @Override
    protected EmbeddingModel model() {
        return model;
    }

    @Test
    void givesTheOnnxAdaptersVectorsWithin1e5() {
        List<String> texts = SampleTexts.paragraphs(10);

        List<float[]> viaTriton = model.embed(texts);
        List<float[]> inProcess = onnx.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(viaTriton.get(i)).as("text %d", i).containsExactly(inProcess.get(i), within(1e-5f));
        }
        assertThat(triton.inferCalls()).isEqualTo(3);
    }

    @Test
    void sendsTheTextsAsOneBytesTensorAndCannotCountTokens() {
        model.embed(List.of("hello world", "second text"));

        ModelInferRequest request = triton.requests().getFirst();
        assertThat(request.getInputsCount()).isEqualTo(1);
        assertThat(request.getInputs(0).getName()).isEqualTo("TEXT");
        assertThat(request.getInputs(0).getDatatype()).isEqualTo("BYTES");
        assertThat(request.getInputs(0).getShapeList()).containsExactly(2L, 1L);
        assertThat(Tensors.decodeStrings(request.getRawInputContents(0))).containsExactly("hello world", "second text");
        assertThat(request.getOutputsList()).extracting(o -> o.getName()).containsExactly("embedding");
        assertThat(model).isNotInstanceOf(TokenCounter.class);
    }
}
