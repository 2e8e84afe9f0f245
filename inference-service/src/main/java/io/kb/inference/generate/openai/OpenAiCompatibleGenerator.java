package io.kb.inference.generate.openai;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationException.Kind;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.GeneratorReadiness;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Generator} for any server that speaks OpenAI's chat completions API with streaming: vLLM, SGLang,
 * DeepSeek's API, Ollama, OpenAI itself. It posts the rendered prompt to {@code {baseUrl}/chat/completions} with
 * {@code stream: true} and hands each content delta of the Server-Sent Events stream to the sink. Reasoning text
 * ({@code reasoning_content}, which DeepSeek-R1 style servers stream beside the answer) is not part of the answer and
 * is dropped.
 *
 * <p>Failures are sorted for the degradation policy: nothing listening is {@code UNAVAILABLE}, 429 and 503 are
 * {@code OVERLOADED}, the deadline is {@code TIMEOUT}, and every other error status or broken stream is
 * {@code FAILED}. The request is never retried. The API key goes into the {@code Authorization} header and nowhere
 * else: messages built from what the server said are scrubbed of it.
 */
public final class OpenAiCompatibleGenerator implements Generator, GeneratorReadiness, AutoCloseable {

    /** Error bodies are only read for their message; a proxy's HTML page must not fill the heap. */
    private static final int MAX_ERROR_BODY_BYTES = 16 * 1024;
    private static final int MAX_ERROR_MESSAGE_CHARS = 500;

    private final OpenAiGeneratorProperties properties;
    private final URI chatCompletions;
    private final URI models;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * Creates the generator with its own HTTP client, which {@link #close()} releases.
     *
     * @param properties where the server is and how to call it
     */
    public OpenAiCompatibleGenerator(OpenAiGeneratorProperties properties) {
        this.properties = properties;
        this.chatCompletions = URI.create(properties.baseUrl() + "/chat/completions");
        this.models = URI.create(properties.baseUrl() + "/models");
        // HTTP/1.1: vLLM and its kin (uvicorn) speak nothing newer, and some proxies mishandle the client's h2c
        // upgrade request on plain http; a stream is one response either way.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Generation generate(GenerationRequest request, TokenSink sink) {
        Instant deadline = earliest(request.deadline(), Instant.now().plus(properties.timeout()));
        HttpRequest httpRequest = authorized(HttpRequest.newBuilder(chatCompletions))
                .timeout(remaining(deadline, false))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body(request))))
                .build();
        HttpResponse<InputStream> response = send(httpRequest);
        InputStream body = response.body();
        // The client's request timeout covers only the wait for the headers; after them the stream is closed at the
        // deadline from this timer, which wakes the blocked read with an IOException.
        AtomicBoolean expired = new AtomicBoolean();
        CompletableFuture<Void> watchdog = new CompletableFuture<>();
        watchdog.orTimeout(remaining(deadline, true).toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ignored, timeout) -> {
                    if (timeout != null) {
                        expired.set(true);
                        closeQuietly(body);
                    }
                });
        try {
            if (response.statusCode() / 100 != 2) {
                throw statusError(response.statusCode(), body, expired);
            }
            return new StreamReader(request, sink, expired).read(body);
        } finally {
            watchdog.complete(null);
            // Closing a body that was not read to its end drops the connection, which is how the server learns
            // that a cancelled reader wants no more tokens.
            closeQuietly(body);
        }
    }

    /** Asks {@code GET {baseUrl}/models}, which OpenAI-compatible servers answer once their model is loaded. */
    @Override
    public boolean ready() {
        HttpRequest probe = authorized(HttpRequest.newBuilder(models))
                .timeout(properties.readinessTimeout())
                .GET()
                .build();
        try {
            return http.send(probe, BodyHandlers.discarding()).statusCode() / 100 == 2;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Releases the HTTP client's connections and threads; a generation still running fails. */
    @Override
    public void close() {
        // Not close(), which waits for every exchange to finish and would hold up shutdown behind a stuck stream.
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "OpenAiCompatibleGenerator[" + properties + "]";
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        properties.headers().forEach(builder::header);
        if (properties.apiKey() != null) {
            builder.header("Authorization", "Bearer " + properties.apiKey());
        }
        return builder;
    }

    private ChatCompletionRequest body(GenerationRequest request) {
        return new ChatCompletionRequest(properties.model(), request.messages(), true, request.maxTokens(),
                properties.temperature(), new StreamOptions(true));
    }

    private HttpResponse<InputStream> send(HttpRequest request) {
        try {
            return http.send(request, BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new GenerationException(Kind.UNAVAILABLE, where() + " did not accept a connection within "
                    + properties.connectTimeout(), false, e);
        } catch (HttpTimeoutException e) {
            throw new GenerationException(Kind.TIMEOUT, where() + " did not answer before the deadline", false, e);
        } catch (ConnectException | UnknownHostException e) {
            throw new GenerationException(Kind.UNAVAILABLE, where() + " cannot be reached: " + scrub(e.toString()),
                    false, e);
        } catch (IOException e) {
            // Nothing came back, not even a status line: to the caller that is a backend it cannot use.
            throw new GenerationException(Kind.UNAVAILABLE, where() + " did not answer: " + scrub(e.toString()),
                    false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("interrupted while waiting for " + where());
        }
    }

    private GenerationException statusError(int status, InputStream body, AtomicBoolean expired) {
        String detail;
        try {
            detail = errorMessage(body.readNBytes(MAX_ERROR_BODY_BYTES));
        } catch (IOException e) {
            if (expired.get()) {
                return new GenerationException(Kind.TIMEOUT, where() + " answered " + status
                        + " but its error body did not arrive before the deadline", false, e);
            }
            detail = "(error body unreadable)";
        }
        Kind kind = status == 429 || status == 503 ? Kind.OVERLOADED : Kind.FAILED;
        return new GenerationException(kind, where() + " answered " + status + ": " + scrub(detail), false);
    }

    /** The message of OpenAI's {@code {error: {message}}}, of vLLM's older {@code {message}}, or the raw text. */
    private String errorMessage(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        try {
            JsonNode root = json.readTree(text);
            JsonNode error = root.path("error");
            String message = error.isObject() ? error.path("message").asString(null)
                    : error.isString() ? error.stringValue()
                    : root.path("message").isString() ? root.path("message").stringValue()
                    : root.path("detail").isString() ? root.path("detail").stringValue()
                    : null;
            if (message != null && !message.isBlank()) {
                return truncate(message);
            }
        } catch (JacksonException e) {
            // Not JSON: a proxy's page or plain text, shown as it is.
        }
        return text.isEmpty() ? "(empty body)" : truncate(text);
    }

    private String where() {
        return "model " + properties.model() + " at " + properties.baseUrl();
    }

    /** Servers echo keys back in their 401 messages (OpenAI shows a partly masked one); ours never goes further. */
    private String scrub(String message) {
        String key = properties.apiKey();
        return key == null || message == null ? message : message.replace(key, "****");
    }

    private static String truncate(String text) {
        return text.length() <= MAX_ERROR_MESSAGE_CHARS ? text : text.substring(0, MAX_ERROR_MESSAGE_CHARS) + "...";
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Duration remaining(Instant deadline, boolean allowZero) {
        Duration left = Duration.between(Instant.now(), deadline);
        if (left.isNegative() || left.isZero()) {
            if (allowZero) {
                return Duration.ZERO;
            }
            throw new GenerationException(Kind.TIMEOUT, "the deadline passed before the request was sent", false);
        }
        return left;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // The exchange is being abandoned; a failure to close it changes nothing for the caller.
        }
    }

    /** Rough token counts for servers that send no usage: about four characters a token, one per CJK character. */
    static int estimateTokens(String text) {
        int wide = 0;
        int narrow = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            switch (Character.UnicodeScript.of(codePoint)) {
                case HAN, HIRAGANA, KATAKANA, HANGUL -> wide++;
                default -> narrow++;
            }
            i += Character.charCount(codePoint);
        }
        return wide + (narrow + 3) / 4;
    }

    /** Reads one Server-Sent Events stream of {@code chat.completion.chunk} objects up to {@code data: [DONE]}. */
    private final class StreamReader {

        private final GenerationRequest request;
        private final TokenSink sink;
        private final AtomicBoolean expired;
        private final StringBuilder text = new StringBuilder();
        private final StringBuilder event = new StringBuilder();
        private boolean sent;
        private boolean done;
        private String finishReason;
        private int promptTokens = -1;
        private int completionTokens = -1;

        StreamReader(GenerationRequest request, TokenSink sink, AtomicBoolean expired) {
            this.request = request;
            this.sink = sink;
            this.expired = expired;
        }

        Generation read(InputStream body) {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            try {
                String line;
                while (!done && (line = lines.readLine()) != null) {
                    if (line.isEmpty()) {
                        dispatch();
                    } else if (line.startsWith("data:")) {
                        // SSE allows several data lines per event; they join with newlines.
                        if (!event.isEmpty()) {
                            event.append('\n');
                        }
                        event.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
                    }
                    // Comments (":" keep-alives) and the event, id and retry fields carry nothing for us.
                }
                if (!done) {
                    dispatch();
                }
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    // The caller gave up on this generation, as a cancelling sink would; the tier is not at fault.
                    throw new GenerationCancelledException("interrupted while reading from " + where());
                }
                if (expired.get()) {
                    throw new GenerationException(Kind.TIMEOUT, where() + " did not finish before the deadline",
                            sent, e);
                }
                throw new GenerationException(Kind.FAILED, where() + " broke off its stream: " + scrub(e.toString()),
                        sent, e);
            }
            if (!done) {
                throw new GenerationException(Kind.FAILED, where() + " ended its stream without [DONE]", sent);
            }
            String answer = text.toString();
            return new Generation(answer,
                    promptTokens >= 0 ? promptTokens : estimatePrompt(),
                    completionTokens >= 0 ? completionTokens : estimateTokens(answer),
                    finishReason);
        }

        private void dispatch() {
            if (event.isEmpty()) {
                return;
            }
            String data = event.toString();
            event.setLength(0);
            if (data.strip().equals("[DONE]")) {
                done = true;
                return;
            }
            JsonNode chunk;
            try {
                chunk = json.readTree(data);
            } catch (JacksonException e) {
                throw new GenerationException(Kind.FAILED, where() + " sent a chunk that is not JSON", sent, e);
            }
            JsonNode error = chunk.path("error");
            if (!error.isMissingNode() && !error.isNull()) {
                // vLLM reports failures that happen after the 200 (an engine error, a full KV cache) in the stream.
                String message = error.isObject() ? error.path("message").asString("") : error.asString("");
                throw new GenerationException(Kind.FAILED, where() + " failed mid-stream: "
                        + scrub(truncate(message)), sent);
            }
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode content = choice.path("delta").path("content");
            if (content.isString() && !content.stringValue().isEmpty()) {
                String piece = content.stringValue();
                text.append(piece);
                sent = true;
                sink.accept(piece);
            }
            JsonNode reason = choice.path("finish_reason");
            if (reason.isString()) {
                finishReason = reason.stringValue();
            }
            JsonNode usage = chunk.path("usage");
            if (usage.isObject()) {
                if (usage.path("prompt_tokens").canConvertToInt()) {
                    promptTokens = usage.path("prompt_tokens").asInt();
                }
                if (usage.path("completion_tokens").canConvertToInt()) {
                    completionTokens = usage.path("completion_tokens").asInt();
                }
            }
        }

        private int estimatePrompt() {
            int tokens = 0;
            for (PromptMessage message : request.messages()) {
                // A few tokens per message for the chat template's role markers.
                tokens += 4 + estimateTokens(message.content());
            }
            return tokens;
        }
    }

    /** The body of {@code POST /chat/completions}, in OpenAI's field names. */
    record ChatCompletionRequest(
            String model,
            List<PromptMessage> messages,
            boolean stream,
            @JsonProperty("max_tokens") int maxTokens,
            double temperature,
            @JsonProperty("stream_options") StreamOptions streamOptions) {
    }

    /** Asks for a last chunk with the token usage, which vLLM and OpenAI only send when asked. */
    record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {
    }
}
