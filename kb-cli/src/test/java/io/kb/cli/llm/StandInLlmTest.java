package io.kb.cli.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The stand-in over real HTTP on loopback, read the way an OpenAI client reads a server. */
class StandInLlmTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SYSTEM = "You are the knowledge assistant of the asker's company. Answer the question "
            + "using only the numbered sources below.";
    /** Rendered as inference-service's prompts/sources.en.txt renders two sources and a question. */
    private static final String ANSWER_PROMPT = """
            Sources:
            [1] Annual leave (page 2)
            # Annual leave
            Aurora Components is a sensor company. Every full-time employee gets 25 days of paid annual leave each \
            year. Part-time staff get a pro-rata share.

            [2] Travel
            Economy class is booked for flights under six hours.

            Question: How many days of paid annual leave does a full-time employee get?""";

    private final HttpClient http = HttpClient.newHttpClient();
    private StandInLlm llm;

    @BeforeEach
    void start() {
        llm = StandInLlm.start(0, "stand-in", Duration.ZERO);
    }

    @AfterEach
    void stop() {
        llm.close();
    }

    @Test
    void streamsTheFirstSourcesBestMatchingSentenceWithItsMarkerThenDone() throws Exception {
        List<String> events = streamEvents(request(ANSWER_PROMPT, true, null));

        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder content = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode chunk = JSON.readTree(e);
            assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
            JsonNode choice = chunk.path("choices").path(0);
            content.append(choice.path("delta").path("content").asString(""));
            if (choice.path("finish_reason").isString()) {
                finish = choice.path("finish_reason").asString();
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.path("usage");
            }
        }
        assertThat(content.toString())
                .isEqualTo("Every full-time employee gets 25 days of paid annual leave each year. [1]");
        assertThat(finish).isEqualTo("stop");
        assertThat(usage).as("the usage chunk that stream_options.include_usage asks for").isNotNull();
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(events.size() - 4);
    }

    @Test
    void answersWholeWhenNotStreaming() throws Exception {
        HttpResponse<String> r = http.send(request(ANSWER_PROMPT, false, null), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("Every full-time employee gets 25 days of paid annual leave each year. [1]");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void quotesChineseSourcesToo() throws Exception {
        String prompt = "资料：\n[1] 年假制度\n全职员工每年享有二十五天带薪年假。未休年假最多可结转五天。\n\n问题：未休年假最多可以结转几天？";

        HttpResponse<String> r = http.send(request(prompt, false, null), HttpResponse.BodyHandlers.ofString());

        assertThat(JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("未休年假最多可结转五天。 [1]");
    }

    @Test
    void givesTheMessageBackWhenThereAreNoSources() throws Exception {
        HttpResponse<String> r = http.send(request("What about carrying days over?", false, null),
                HttpResponse.BodyHandlers.ofString());

        assertThat(JSON.readTree(r.body()).path("choices").path(0).path("message").path("content").asString())
                .isEqualTo("What about carrying days over?");
    }

    @Test
    void stopsAtMaxTokensWithFinishReasonLength() throws Exception {
        List<String> events = streamEvents(request(ANSWER_PROMPT, true, 2));

        List<String> contents = new ArrayList<>();
        String finish = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode choice = JSON.readTree(e).path("choices").path(0);
            if (choice.path("delta").path("content").isString()) {
                contents.add(choice.path("delta").path("content").asString());
            }
            if (choice.path("finish_reason").isString()) {
                finish = choice.path("finish_reason").asString();
            }
        }
        assertThat(contents).containsExactly("Every ", "full-tim");
        assertThat(finish).isEqualTo("length");
    }

    @Test
    void waitsTheFirstTokenDelaySetOverItsAdminEndpoint() throws Exception {
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(admin())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"firstTokenMillis\": 400}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).isEqualTo(200);
        assertThat(llm.firstTokenDelay()).isEqualTo(Duration.ofMillis(400));

        long start = System.nanoTime();
        HttpResponse<InputStream> r = http.send(request(ANSWER_PROMPT, true, null),
                HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.contains("\"content\"")) {
                // the role chunk comes at once; the first content waits
            }
        }
        long firstContentMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(firstContentMillis).isGreaterThanOrEqualTo(400);

        HttpResponse<String> read = http.send(HttpRequest.newBuilder(admin()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(read.body()).path("firstTokenMillis").asLong()).isEqualTo(400);
    }

    @Test
    void refusesBadInputWithOpenAiStyleErrors() throws Exception {
        HttpResponse<String> otherModel = http.send(HttpRequest.newBuilder(completions())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> noMessages = http.send(HttpRequest.newBuilder(completions())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stand-in\",\"messages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> badDelay = http.send(HttpRequest.newBuilder(admin())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"firstTokenMillis\": -5}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(otherModel.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(otherModel.body()).path("error").path("message").asString()).contains("gpt-4o");
        assertThat(noMessages.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(noMessages.body()).path("error").path("message").asString()).contains("messages");
        assertThat(badDelay.statusCode()).isEqualTo(400);
        assertThat(llm.firstTokenDelay()).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> llm.setFirstTokenDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsItsModel() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/models")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).path("data").path(0).path("id").asString()).isEqualTo("stand-in");
    }

    private URI completions() {
        return URI.create(llm.baseUrl() + "/chat/completions");
    }

    private URI admin() {
        return llm.baseUrl().resolve("/admin/latency");
    }

    private HttpRequest request(String userMessage, boolean stream, Integer maxTokens) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", "stand-in");
        body.put("messages", List.of(Map.of("role", "system", "content", SYSTEM),
                Map.of("role", "user", "content", userMessage)));
        body.put("stream", stream);
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        if (maxTokens != null) {
            body.put("max_tokens", maxTokens);
        }
        return HttpRequest.newBuilder(completions()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    /** The data of each Server-Sent Event, in order. */
    private List<String> streamEvents(HttpRequest request) throws Exception {
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        return events;
    }
}
