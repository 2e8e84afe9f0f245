package io.kb.embedding.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

/**
 * The contract on the Triton adapter against a real Triton Inference Server; skipped where no Docker engine
 * runs (such as the project's build machines), and then the in-process {@link OnnxBackedTriton} tests are
 * what covers the adapter.
 *
 * <p>Image: {@code nvcr.io/nvidia/tritonserver:25.01-py3} (any release with the onnxruntime backend; about
 * 15 GB, pulled on first run), started as {@code tritonserver --model-repository=/models} on CPU, no GPU
 * needed. Model repository: written by this test into a temporary folder and copied into the container as
 * {@code /models/bge_small_en/config.pbtxt} plus {@code /models/bge_small_en/1/model.onnx}, the quantized
 * bge-small-en-v1.5 export bundled on the test classpath (inputs {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids}, INT64 {@code [-1, -1]}; output {@code last_hidden_state} FP32 {@code [-1, -1, 384]};
 * {@code max_batch_size: 8}, no dynamic batching so that the vectors do not depend on concurrent traffic).
 */
@Testcontainers(disabledWithoutDocker = true)
class TritonContainerIT extends BgeSmallEnContract {

    private static final String CONFIG = """
            name: "bge_small_en"
            backend: "onnxruntime"
            max_batch_size: 8
            input [
              { name: "input_ids" data_type: TYPE_INT64 dims: [ -1 ] },
              { name: "attention_mask" data_type: TYPE_INT64 dims: [ -1 ] },
              { name: "token_type_ids" data_type: TYPE_INT64 dims: [ -1 ] }
            ]
            output [ { name: "last_hidden_state" data_type: TYPE_FP32 dims: [ -1, 384 ] } ]
            instance_group [ { kind: KIND_CPU count: 1 } ]
            """;

    @Container
    private static final GenericContainer<?> TRITON = new GenericContainer<>("nvcr.io/nvidia/tritonserver:25.01-py3")
            .withCopyFileToContainer(MountableFile.forHostPath(modelRepository()), "/models")
            .withCommand("tritonserver", "--model-repository=/models")
            .withExposedPorts(8000, 8001)
            .waitingFor(Wait.forHttp("/v2/health/ready").forPort(8000).withStartupTimeout(Duration.ofMinutes(10)));

    private static final TritonOptions.Model MODEL = new TritonOptions.Model("bge-small-en-v1.5", "bge_small_en", "",
            TritonOptions.InputStyle.TOKENS, "bge-small-en-v1.5", 384, 512, true, 8, "TEXT", "input_ids",
            "attention_mask", "token_type_ids", TritonOptions.TokenDatatype.INT64, "last_hidden_state",
            TritonOptions.Pooling.CLS);

    private static OnnxEmbeddingModel onnx;
    private static ManagedChannel channel;
    private static TritonEmbeddingModel model;

    @BeforeAll
    static void connect() {
        onnx = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15, OnnxOptions.DEFAULTS);
        TritonOptions options = new TritonOptions(TRITON.getHost() + ":" + TRITON.getMappedPort(8001), false,
                Duration.ofSeconds(30), DataSize.ofMegabytes(64), List.of(MODEL));
        channel = options.openChannel();
        model = TritonEmbeddingModel.connect(channel, MODEL, options.deadline());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
            channel.shutdownNow();
            onnx.close();
        }
    }

    @Override
    protected EmbeddingModel model() {
        return model;
    }

    @Test
    void givesTheOnnxAdaptersVectorForOneTextWithin1e5() {
        String text = SampleTexts.paragraphs(1).getFirst();

        assertThat(model.embed(List.of(text)).getFirst()).containsExactly(onnx.embed(List.of(text)).getFirst(), within(1e-5f));
    }

    @Test
    void staysCloseToTheOnnxAdapterInABatchOfTheQuantizedModel() {
        List<String> texts = SampleTexts.paragraphs(8);
        List<float[]> viaTriton = model.embed(texts);
        List<float[]> inProcess = onnx.embed(texts);

        // One ONNX call per batch: the quantized model's activation scale couples the batch's texts.
        for (int i = 0; i < texts.size(); i++) {
            assertThat(dot(viaTriton.get(i), inProcess.get(i))).as("text %d", i).isGreaterThan(0.99);
        }
    }

    @Test
    void isReadyOnceTheModelIsLoaded() {
        TritonOptions options = new TritonOptions("triton:8001", false, Duration.ofSeconds(5), DataSize.ofMegabytes(64),
                List.of(MODEL));

        assertThat(new TritonHealthIndicator(channel, options).health().getStatus())
                .isEqualTo(org.springframework.boot.health.contributor.Status.UP);
    }

    private static Path modelRepository() {
        try {
            Path repository = Files.createTempDirectory("triton-models");
            Path model = Files.createDirectories(repository.resolve("bge_small_en").resolve("1"));
            Files.writeString(repository.resolve("bge_small_en").resolve("config.pbtxt"), CONFIG);
            try (InputStream onnxGraph = TritonContainerIT.class.getClassLoader()
                    .getResourceAsStream(BundledOnnxModel.BGE_SMALL_EN_V15.modelResource())) {
                Files.copy(onnxGraph, model.resolve("model.onnx"));
            }
            // Deleted in reverse order of registration: files before their folders.
            for (Path path : List.of(repository, model.getParent(), model, model.getParent().resolve("config.pbtxt"),
                    model.resolve("model.onnx"))) {
                path.toFile().deleteOnExit();
            }
            return repository;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
