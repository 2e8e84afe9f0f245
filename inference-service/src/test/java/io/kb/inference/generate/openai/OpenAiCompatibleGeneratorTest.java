package io.kb.inference.generate.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationException.Kind;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.GeneratorContract;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import io.kb.inference.generate.openai.ScriptedChatCompletionsServer.Received;
import io.kb.inference.generate.openai.ScriptedChatCompletionsServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * {@link OpenAiCompatibleGenerator} against a scripted chat completions server over real HTTP: the port's contract,
 * then what is the API's own: the request it sends, usage, error statuses, deadlines, reasoning text, the key. Each
 * test ends in seconds; the timeout turns a generator that ignores its deadline into a failure, not a hang.
 */
@Timeout(20)
class OpenAiCompatibleGeneratorTest extends GeneratorContract {

    private static final String KEY = "sk-test-0123456789abcdef";

    private final ScriptedChatCompletionsServer server = ScriptedChatCompletionsServer.start();
    private final List<String> pieces = new CopyOnWriteArrayList<>();
    private final TokenSink sink = pieces::add;
    private OpenAiCompatibleGenerator generator;

    @AfterEach
    void stop() {
        if (generator != null) {
            generator.close();
        }
        server.close();
    }

    @Test
    void takesTheTokenCountsFromTheServersUsageChunk() {
        server.enqueue(Reply.streaming("Paris", " is the capital", " of France", " [1].").withUsage(42, 7));

        Generation generation = generator(KEY).generate(request(Duration.ofSeconds(10)), sink);

        assertThat(generation.promptTokens()).isEqualTo(42);
        assertThat(generation.completionTokens()).isEqualTo(7);
        assertThat(generation.finishReason()).isEqualTo("stop");
    }

    @Test
    void estimatesTokenCountsAndKeepsTheFinishReasonWhenTheServerSendsNoUsage() {
        server.enqueue(Reply.streaming("twelve chars", " more").withoutUsage().withFinishReason("length"));

        Generation generation = generator(null).generate(request(Duration.ofSeconds(10)), sink);

        assertThat(generation.text()).isEqualTo("twelve chars more");
        assertThat(generation.completionTokens()).isEqualTo(5);
        assertThat(generation.promptTokens()).isPositive();
        assertThat(generation.finishReason()).isEqualTo("length");
    }

    @Test
    void waitsForASlowFirstChunkWithinTheDeadline() {
        server.enqueue(Reply.streaming("late", " but", " fine")
                .withFirstChunkDelay(Duration.ofMillis(300))
                .withChunkDelay(Duration.ofMillis(50)));

        Generation generation = generator(null).generate(request(Duration.ofSeconds(10)), sink);

        assertThat(generation.text()).isEqualTo("late but fine");
    }

    @Test
    void sendsModelMessagesStreamFlagBudgetAndBearerKey() {
        server.enqueue(Reply.streaming("ok"));
        OpenAiGeneratorProperties properties = new OpenAiGeneratorProperties(server.baseUrl() + "/", "qwen2.5-7b",
                KEY, Duration.ofSeconds(10), null, null, 0.0, Map.of("OpenAI-Project", "proj_kb"));
        generator = new OpenAiCompatibleGenerator(properties);

        generator.generate(request(Duration.ofSeconds(10)), sink);

        Received received = server.lastRequest();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/v1/chat/completions");
        assertThat(received.header("Authorization")).isEqualTo("Bearer " + KEY);
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
        assertThat(received.header("OpenAI-Project")).isEqualTo("proj_kb");
        JsonNode body = received.body();
        assertThat(body.path("model").asString()).isEqualTo("qwen2.5-7b");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.0);
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("messages")).hasSize(2);
        assertThat(body.path("messages").path(0).path("role").asString()).isEqualTo("system");
        assertThat(body.path("messages").path(0).path("content").asString()).isEqualTo("Answer from the sources.");
        assertThat(body.path("messages").path(1).path("role").asString()).isEqualTo("user");
        assertThat(body.path("messages").path(1).path("content").asString()).isEqualTo("What is the capital?");
    }

    @Test
    void sendsNoAuthorizationHeaderWithoutAKey() {
        server.enqueue(Reply.streaming("ok"));

        generator(null).generate(request(Duration.ofSeconds(10)), sink);

        assertThat(server.lastRequest().header("Authorization")).isNull();
    }

    @Test
    void rateLimitIsOverloaded() {
        server.enqueue(Reply.error(429, "Rate limit reached for requests", "rate_limit_exceeded"));

        GenerationException e = failure(generator(KEY), request(Duration.ofSeconds(10)));

        assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(e.textSent()).isFalse();
        assertThat(e.getMessage()).contains("429", "Rate limit reached for requests");
    }

    @Test
    void serviceUnavailableIsOverloaded() {
        server.enqueue(Reply.error(503, "The engine is overloaded", "service_unavailable"));

        assertThat(failure(generator(KEY), request(Duration.ofSeconds(10))).kind()).isEqualTo(Kind.OVERLOADED);
    }

    @Test
    void serverErrorIsFailedWithTheServersMessage() {
        server.enqueue(Reply.error(500, "CUDA out of memory while allocating the KV cache", "InternalServerError"));

        GenerationException e = failure(generator(KEY), request(Duration.ofSeconds(10)));

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.textSent()).isFalse();
        assertThat(e.getMessage()).contains("500", "CUDA out of memory while allocating the KV cache");
        assertThat(pieces).isEmpty();
    }

    @Test
    void hangingServerTimesOutAtTheRequestDeadline() {
        server.enqueue(Reply.hanging());
        long started = System.nanoTime();

        GenerationException e = failure(generator(KEY), request(Duration.ofMillis(400)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.textSent()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void configuredTimeoutCutsAGenerationShorterThanTheRequestDeadline() {
        server.enqueue(Reply.hanging());
        generator = new OpenAiCompatibleGenerator(new OpenAiGeneratorProperties(server.baseUrl(), "m", null,
                Duration.ofMillis(300), null, null, null, null));
        long started = System.nanoTime();

        GenerationException e = failure(generator, request(Duration.ofMinutes(5)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void streamStallingAfterTextTimesOutWithTextSent() {
        server.enqueue(Reply.streaming("The answer", " never comes").withChunkDelay(Duration.ofMinutes(1)));
        long started = System.nanoTime();

        GenerationException e = failure(generator(KEY), request(Duration.ofMillis(500)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.textSent()).isTrue();
        assertThat(pieces).containsExactly("The answer");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void streamCutOffAfterTextFailsWithTextSent() {
        server.enqueue(Reply.streaming("Half", " an answer").cutOffAfterPieces());

        GenerationException e = failure(generator(KEY), request(Duration.ofSeconds(10)));

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.textSent()).isTrue();
        assertThat(e.getMessage()).contains("[DONE]");
        assertThat(pieces).containsExactly("Half", " an answer");
    }

    @Test
    void interruptingTheCallerCancelsRatherThanFails() throws InterruptedException {
        server.enqueue(Reply.streaming("first", " never").withChunkDelay(Duration.ofMinutes(1)));
        OpenAiCompatibleGenerator target = generator(KEY);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                target.generate(request(Duration.ofSeconds(30)), sink);
            } catch (RuntimeException e) {
                thrown.set(e);
            }
        });
        while (pieces.isEmpty()) {
            Thread.sleep(10);
        }

        caller.interrupt();
        caller.join(Duration.ofSeconds(5));

        assertThat(thrown.get()).isInstanceOf(GenerationCancelledException.class);
    }

    @Test
    void reasoningContentIsNotForwarded() {
        server.enqueue(Reply.streaming("Paris", ".").withReasoningFirst("The user asks", " about France."));

        Generation generation = generator(null).generate(request(Duration.ofSeconds(10)), sink);

        assertThat(pieces).containsExactly("Paris", ".");
        assertThat(generation.text()).isEqualTo("Paris.");
    }

    @Test
    void apiKeyAppearsNeitherInToStringNorInFailureMessages() {
        server.enqueue(Reply.error(401, "Incorrect API key provided: " + KEY + ". Find your key at https://...",
                "invalid_request_error"));
        OpenAiGeneratorProperties properties = new OpenAiGeneratorProperties(server.baseUrl(), "m", KEY,
                Duration.ofSeconds(10), null, null, null, Map.of("X-Routing-Secret", "route-secret-42"));
        generator = new OpenAiCompatibleGenerator(properties);

        GenerationException e = failure(generator, request(Duration.ofSeconds(10)));

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.getMessage()).contains("401", "Incorrect API key provided").doesNotContain(KEY);
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(KEY);
        }
        assertThat(properties.toString()).doesNotContain(KEY).doesNotContain("route-secret-42")
                .contains("X-Routing-Secret");
        assertThat(generator.toString()).doesNotContain(KEY);
    }

    @Test
    void isReadyWhenTheModelsEndpointAnswers() {
        assertThat(generator(KEY).ready()).isTrue();

        Received probe = server.lastRequest();
        assertThat(probe.method()).isEqualTo("GET");
        assertThat(probe.path()).isEqualTo("/v1/models");
        assertThat(probe.header("Authorization")).isEqualTo("Bearer " + KEY);
    }

    @Test
    void isNotReadyWhileTheModelsEndpointFails() {
        server.modelsStatus(503);

        assertThat(generator(KEY).ready()).isFalse();
    }

    @Override
    protected Generator generator() {
        return generator != null ? generator : generator(KEY);
    }

    @Override
    protected Optional<Backend> backend() {
        return Optional.of(new Backend() {
            @Override
            public void answers(List<String> pieces, Duration between) {
                server.enqueue(Reply.streaming(pieces.toArray(String[]::new)).withChunkDelay(between));
            }

            @Override
            public String lastPrompt() {
                StringBuilder prompt = new StringBuilder();
                server.lastRequest().body().path("messages")
                        .forEach(m -> prompt.append(m.path("content").asString()).append('\n'));
                return prompt.toString();
            }

            @Override
            public boolean awaitCancelled(Duration timeout) throws InterruptedException {
                return server.awaitClientDisconnect(timeout);
            }

            @Override
            public void stop() {
                server.close();
            }
        });
    }

    private OpenAiCompatibleGenerator generator(String apiKey) {
        generator = new OpenAiCompatibleGenerator(new OpenAiGeneratorProperties(server.baseUrl(), "scripted-model",
                apiKey, Duration.ofSeconds(30), null, null, null, null));
        return generator;
    }

    private GenerationException failure(OpenAiCompatibleGenerator target, GenerationRequest request) {
        GenerationException e = catchThrowableOfType(GenerationException.class,
                () -> target.generate(request, sink));
        assertThat(e).as("the generation should have failed").isNotNull();
        return e;
    }

    private static GenerationRequest request(Duration deadline) {
        return new GenerationRequest("What is the capital?", Locale.ENGLISH, List.of(),
                List.of(PromptMessage.system("Answer from the sources."), PromptMessage.user("What is the capital?")),
                256, Instant.now().plus(deadline));
    }
}
