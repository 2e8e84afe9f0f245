package io.kb.embedding.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * The contract on the Triton adapter with client-side tokenization, against {@link OnnxBackedTriton} serving
 * the same bundled ONNX model: the vectors must equal the ONNX adapter's, the requests must be what Triton
 * expects, and server failures must become the right exceptions.
 */
class TritonBgeSmallEnIT extends BgeSmallEnContract {

    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final TritonOptions.Model HOSTED =
            OnnxBackedTriton.tokenInput("bge_small_en", TritonOptions.TokenDatatype.INT64, 8, true);

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
    void givesTheOnnxAdaptersVectorsWithin1e5ForShortAndLongTexts() {
        List<String> texts = new ArrayList<>(SampleTexts.paragraphs(20));
        texts.add(7, SampleTexts.longText(3, 900));

        List<float[]> viaTriton = model.embed(texts);
        List<float[]> inProcess = onnx.embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(viaTriton.get(i)).as("text %d", i).containsExactly(inProcess.get(i), within(1e-5f));
        }
        // 20 short texts and 3 windows of the long one, at most 8 sequences per request.
        assertThat(triton.inferCalls()).isEqualTo(3);
    }

    @Test
    void countsTokensLikeTheOnnxAdapter() {
        String text = SampleTexts.longText(5, 300);

        assertThat(model).isInstanceOf(TokenCounter.class);
        assertThat(((TokenCounter) model).countTokens(text)).isEqualTo(onnx.countTokens(text));
    }

    @Test
    void sendsPaddedInt64TokensWithTheTimeoutAndAsksForTheHiddenState() {
        String longer = "a somewhat longer sentence than the first one";
        model.embed(List.of("hello world", longer));
        long seq = onnx.countTokens(longer);

        ModelInferRequest request = triton.requests().getFirst();
        assertThat(request.getModelName()).isEqualTo("bge_small_en");
        assertThat(request.getModelVersion()).isEmpty();
        assertThat(request.getParametersMap().get("timeout").getInt64Param()).isEqualTo(5_000_000L);
        assertThat(request.getInputsList()).extracting(i -> i.getName()).containsExactly("input_ids", "attention_mask");
        assertThat(request.getInputsList()).allSatisfy(input -> {
            assertThat(input.getDatatype()).isEqualTo("INT64");
            assertThat(input.getShapeList()).containsExactly(2L, seq);
        });
        assertThat(request.getRawInputContentsCount()).isEqualTo(2);
        assertThat(request.getOutputsList()).extracting(o -> o.getName()).containsExactly("last_hidden_state");
        long[] mask = Tensors.decodeInt64(request.getRawInputContents(1));
        assertThat(mask).hasSize((int) (2 * seq)).startsWith(1, 1, 1, 1, 0);
    }

    @Test
    void sendsOneRequestPerSequenceToAModelWithoutBatchDimension() {
        TritonOptions.Model unbatched = OnnxBackedTriton.tokenInput("bge_small_en", TritonOptions.TokenDatatype.INT64, 8, false);
        try (OnnxBackedTriton server = OnnxBackedTriton.inProcess(onnx, unbatched, DEADLINE.toNanos() / 1000)) {
            ManagedChannel ch = server.channel();
            try (TritonEmbeddingModel m = TritonEmbeddingModel.connect(ch, unbatched, DEADLINE)) {
                List<String> texts = sentenceParaphraseUnrelated();
                List<float[]> vectors = m.embed(texts);

                assertThat(server.violations()).isEmpty();
                assertThat(server.inferCalls()).isEqualTo(3);
                assertThat(server.requests().getFirst().getInputs(0).getShapeCount()).isEqualTo(1);
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(vectors.get(i)).containsExactly(onnx.embed(List.of(texts.get(i))).getFirst(), within(1e-5f));
                }
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void reportsModelReadinessInTheHealthIndicator() {
        TritonOptions options = new TritonOptions("triton:8001", false, DEADLINE, DataSize.ofMegabytes(64), List.of(HOSTED));
        TritonHealthIndicator health = new TritonHealthIndicator(channel, options);

        assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.UP);
        triton.modelReady(false);
        Health down = health.health();
        assertThat(down.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
        assertThat(down.getDetails()).containsEntry("serverReady", true);
        triton.modelReady(true);
        triton.serverReady(false);
        assertThat(health.health().getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
    }

    @Test
    void turnsUnavailableIntoARetryableError() {
        triton.failWith(Status.UNAVAILABLE.withDescription("connection refused"));

        assertThatThrownBy(() -> model.embed(List.of("hello")))
                .isInstanceOf(ModelUnavailableException.class)
                .hasMessageContaining("bge_small_en").hasMessageContaining("UNAVAILABLE");
    }

    @Test
    void turnsResourceExhaustedIntoARetryableError() {
        triton.failWith(Status.RESOURCE_EXHAUSTED.withDescription("queue full"));

        assertThatThrownBy(() -> model.embed(List.of("hello"))).isInstanceOf(ModelUnavailableException.class);
    }

    @Test
    void givesUpAfterTheDeadlineWhenTritonHangs() {
        Duration deadline = Duration.ofMillis(300);
        triton.hang();
        try (TritonEmbeddingModel impatient = TritonEmbeddingModel.connect(channel, HOSTED, deadline)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.embed(List.of("hello")))
                    .isInstanceOf(ModelUnavailableException.class)
                    .hasMessageContaining("did not answer within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(deadline)
                    .isLessThan(Duration.ofSeconds(2));
        }
        triton.reset();
    }

    @Test
    void namesTheModelWhenTritonDoesNotKnowIt() {
        TritonOptions.Model misnamed = OnnxBackedTriton.tokenInput("bge_small_typo", TritonOptions.TokenDatatype.INT64, 8, true);
        try (TritonEmbeddingModel wrong = TritonEmbeddingModel.connect(channel, misnamed, DEADLINE)) {
            assertThatThrownBy(() -> wrong.embed(List.of("hello")))
                    .isInstanceOf(ModelRejectedException.class)
                    .hasMessageContaining("Triton does not serve Triton model 'bge_small_typo'")
                    .hasMessageContaining("NOT_FOUND")
                    .hasMessageContaining("model-name");
        }
    }

    @Test
    void explainsARequestTheModelRefuses() {
        TritonOptions.Model int32 = OnnxBackedTriton.tokenInput("bge_small_en", TritonOptions.TokenDatatype.INT32, 8, true);
        try (TritonEmbeddingModel wrong = TritonEmbeddingModel.connect(channel, int32, DEADLINE)) {
            assertThatThrownBy(() -> wrong.embed(List.of("hello")))
                    .isInstanceOf(ModelRejectedException.class)
                    .hasMessageContaining("INVALID_ARGUMENT")
                    .hasMessageContaining("input_ids is INT32, the model takes INT64")
                    .hasMessageContaining("config.pbtxt");
        }
        triton.reset();
    }
}
