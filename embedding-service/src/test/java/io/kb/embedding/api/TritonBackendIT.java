package io.kb.embedding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;

import io.grpc.Status;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.embedding.model.EmbeddingModels;
import io.kb.embedding.model.OnnxBackedTriton;
import io.kb.embedding.model.OnnxEmbeddingModel;
import io.kb.embedding.model.OnnxOptions;
import io.kb.embedding.model.TritonEmbeddingModel;
import io.kb.embedding.model.TritonOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The service with {@code kb.embedding.backend=triton}, against {@link OnnxBackedTriton} on a local port:
 * configuration binding, the channel, the API, readiness, and how Triton's failures reach HTTP callers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kb.embedding.backend=triton",
        "kb.embedding.triton.deadline=2s",
        "kb.embedding.triton.models[0].name=bge-small-en-v1.5",
        "kb.embedding.triton.models[0].model-name=bge_small_en",
        "kb.embedding.triton.models[0].tokenizer=bge-small-en-v1.5",
        "kb.embedding.triton.models[0].dimension=384",
        "kb.embedding.triton.models[0].max-batch-size=8",
        "kb.embedding.batch.retry-after=3s"})
class TritonBackendIT {

    private static final OnnxEmbeddingModel ONNX =
            OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15, OnnxOptions.DEFAULTS);
    private static final OnnxBackedTriton TRITON = OnnxBackedTriton.onLocalPort(ONNX,
            OnnxBackedTriton.tokenInput("bge_small_en", TritonOptions.TokenDatatype.INT64, 8, true), 2_000_000L);

    @DynamicPropertySource
    static void triton(DynamicPropertyRegistry registry) {
        registry.add("kb.embedding.triton.target", () -> "localhost:" + TRITON.port());
    }

    @AfterAll
    static void stop() {
        TRITON.close();
        ONNX.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    EmbeddingModels models;

    @AfterEach
    void serveNormally() {
        assertThat(TRITON.violations()).isEmpty();
        TRITON.reset();
    }

    @Test
    void servesOnlyTheTritonModels() {
        assertThat(models.all()).singleElement().isInstanceOf(TritonEmbeddingModel.TokenInput.class)
                .satisfies(m -> assertThat(m.name()).isEqualTo("bge-small-en-v1.5"));
    }

    @Test
    void servesTheVectorsOfTheHostedModel() throws Exception {
        String text = "How do I reset my VPN password?";
        var reply = new HttpJson(port).post("/v1/embeddings", HttpJson.json(Map.of("input", text)));

        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        assertThat(reply.json().get("model").asString()).isEqualTo("bge-small-en-v1.5");
        assertThat(reply.json().get("usage").get("prompt_tokens").asInt()).isEqualTo(ONNX.countTokens(text));
        JsonNode embedding = reply.json().get("data").get(0).get("embedding");
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = embedding.get(i).floatValue();
        }
        assertThat(vector).containsExactly(ONNX.embed(List.of(text)).getFirst(), within(1e-5f));
        assertThat(TRITON.requests()).singleElement()
                .satisfies(r -> assertThat(r.getModelName()).isEqualTo("bge_small_en"));
    }

    @Test
    void isReadyOnlyWhileTritonSaysTheModelIsReady() throws Exception {
        HttpJson http = new HttpJson(port);
        var ready = http.get("/actuator/health/readiness");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

        TRITON.modelReady(false);
        var notReady = http.get("/actuator/health/readiness");

        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(HttpJson.parse(notReady.body()).get("status").asString()).isEqualTo("DOWN");
    }

    @Test
    void answers503WithRetryAfterWhileTritonIsUnavailable() throws Exception {
        TRITON.failWith(Status.UNAVAILABLE.withDescription("Triton is restarting"));

        var reply = new HttpJson(port).post("/v1/embeddings", HttpJson.json(Map.of("input", "hello")));

        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(503);
        assertThat(reply.raw().headers().firstValue("Retry-After")).hasValue("3");
        assertThat(reply.json().get("type").asString()).isEqualTo("urn:kb:problem:upstream-unavailable");
        assertThat(reply.json().get("detail").asString()).contains("bge_small_en").contains("UNAVAILABLE");
    }

    @Test
    void answers502WithoutRetryAfterWhenTritonDoesNotKnowTheModel() throws Exception {
        TRITON.failWith(Status.NOT_FOUND.withDescription("Request for unknown model: 'bge_small_en' is not found"));

        var reply = new HttpJson(port).post("/internal/v1/embeddings:batch",
                HttpJson.json(Map.of("texts", List.of("hello"))));

        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(502);
        assertThat(reply.raw().headers().firstValue("Retry-After")).isEmpty();
        assertThat(reply.json().get("type").asString()).isEqualTo("urn:kb:problem:upstream-unavailable");
        assertThat(reply.json().get("detail").asString()).contains("does not serve").contains("model-name");
    }
}
