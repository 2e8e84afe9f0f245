package io.kb.embedding.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.kb.embedding.model.EmbeddingModels;
import io.kb.embedding.model.SampleTexts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kb.embedding.knowledge-bases.acme=bge-small-zh-v1.5",
        "kb.embedding.overflow=reject",
        "kb.embedding.max-inputs-per-request=8"})
class EmbeddingApiIT {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddingModels models;

    HttpJson http;

    @BeforeEach
    void client() {
        http = new HttpJson(port);
    }

    @Test
    void servesOpenAiFloatEmbeddingsEqualToTheModels() throws Exception {
        var reply = http.post("/v1/embeddings", HttpJson.json(Map.of("input", "How do I reset my VPN password?")));

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("object").asString()).isEqualTo("list");
        assertThat(body.get("model").asString()).isEqualTo("bge-small-en-v1.5");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isGreaterThan(5);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(body.get("usage").get("prompt_tokens").asInt());
        JsonNode item = body.get("data").get(0);
        assertThat(item.get("object").asString()).isEqualTo("embedding");
        assertThat(item.get("index").asInt()).isZero();
        float[] expected = models.find("bge-small-en-v1.5").orElseThrow()
                .embed(List.of("How do I reset my VPN password?")).getFirst();
        assertThat(floats(item.get("embedding"))).hasSize(384).containsExactly(expected, within(1e-4f));
    }

    @Test
    void servesBase64AsLittleEndianFloat32() throws Exception {
        List<String> input = SampleTexts.paragraphs(3);
        var asFloats = http.post("/v1/embeddings", HttpJson.json(Map.of("input", input)));
        var asBase64 = http.post("/v1/embeddings", HttpJson.json(Map.of("input", input, "encoding_format", "base64")));

        assertThat(asBase64.status()).isEqualTo(200);
        for (int i = 0; i < input.size(); i++) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(
                    asBase64.json().get("data").get(i).get("embedding").asString())).order(ByteOrder.LITTLE_ENDIAN);
            float[] decoded = new float[bytes.remaining() / Float.BYTES];
            bytes.asFloatBuffer().get(decoded);
            assertThat(decoded).containsExactly(floats(asFloats.json().get("data").get(i).get("embedding")), within(1e-4f));
            assertThat(asBase64.json().get("data").get(i).get("index").asInt()).isEqualTo(i);
        }
    }

    @Test
    void embedsABatchWithTheKnowledgeBasesModel() throws Exception {
        var reply = http.post("/internal/v1/embeddings:batch",
                HttpJson.json(Map.of("knowledgeBase", "acme", "texts", List.of("如何重置密码？", "食堂菜单"))));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("model").asString()).isEqualTo("bge-small-zh-v1.5");
        assertThat(reply.json().get("dimension").asInt()).isEqualTo(512);
        assertThat(reply.json().get("vectors")).hasSize(2);
        assertThat(floats(reply.json().get("vectors").get(1))).hasSize(512);
        assertThat(reply.json().get("tokens").get(0).asInt()).isGreaterThan(2);
    }

    @Test
    void usesTheDefaultModelForAnUnmappedKnowledgeBase() throws Exception {
        var reply = http.post("/internal/v1/embeddings:batch",
                HttpJson.json(Map.of("knowledgeBase", "other", "texts", List.of("hello"))));

        assertThat(reply.json().get("model").asString()).isEqualTo("bge-small-en-v1.5");
        assertThat(reply.json().get("dimension").asInt()).isEqualTo(384);
    }

    @Test
    void namesABlankInput() throws Exception {
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", List.of("fine", " ")))), "input[1]");
        assertProblem(http.post("/internal/v1/embeddings:batch", HttpJson.json(Map.of("texts", List.of("")))), "texts[0]");
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", List.of()))), "input");
    }

    @Test
    void rejectsAnUnknownModel() throws Exception {
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", "x", "model", "text-embedding-3-small"))),
                "model");
        assertProblem(http.post("/internal/v1/embeddings:batch",
                HttpJson.json(Map.of("model", "nope", "texts", List.of("x")))), "model");
    }

    @Test
    void rejectsMoreInputsThanTheLimit() throws Exception {
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", SampleTexts.paragraphs(9)))), "input");
    }

    @Test
    void rejectsAWrongDimensionsOrEncoding() throws Exception {
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", "x", "dimensions", 256))), "dimensions");
        assertProblem(http.post("/v1/embeddings", HttpJson.json(Map.of("input", "x", "encoding_format", "int8"))),
                "encodingFormat");
    }

    @Test
    void rejectsAnOverlongTextNamingItsIndexAndTokenCount() throws Exception {
        var reply = http.post("/v1/embeddings",
                HttpJson.json(Map.of("input", List.of("short", SampleTexts.longText(3, 800)))));

        assertProblem(reply, "input[1]");
        assertThat(reply.json().get("detail").asString()).contains("tokens").contains("512");
    }

    @Test
    void exposesTheEmbeddingMetersAfterACall() throws Exception {
        http.post("/v1/embeddings", HttpJson.json(Map.of("input", "metrics please")));

        String scrape = http.get("/actuator/prometheus").body();
        assertThat(scrape)
                .contains("kb_embedding_batch_size_texts_bucket{")
                .contains("kb_embedding_queue_wait_seconds_bucket{")
                .contains("kb_embedding_inference_seconds_bucket{")
                .contains("kb_embedding_texts_total{")
                .contains("kb_embedding_queue_depth{")
                .contains("kb_embedding_rejections_total{")
                .contains("model=\"bge-small-en-v1.5\"");
    }

    @Test
    void isReadyWithItsModelsLoaded() throws Exception {
        var response = http.get("/actuator/health/readiness");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = HttpJson.parse(response.body());
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.get("components").get("embeddingModels").get("status").asString()).isEqualTo("UP");
    }

    private static void assertProblem(HttpJson.Reply reply, String field) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(reply.json().get("type").asString()).isEqualTo("urn:kb:problem:validation");
        assertThat(reply.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).floatValue();
        }
        return values;
    }
}
