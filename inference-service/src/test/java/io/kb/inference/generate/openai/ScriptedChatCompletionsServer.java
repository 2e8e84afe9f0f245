package io.kb.inference.generate.openai;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * An OpenAI-compatible chat completions server, in-process, that answers each request with the next scripted
 * {@link Reply}. Streams are written the way vLLM writes them: a role chunk ({@code delta: {role: assistant,
 * content: ""}}), one chunk per content piece, a chunk with the finish reason, a usage chunk with no choices when the
 * request asked for {@code stream_options.include_usage}, then {@code data: [DONE]}, each event followed by a blank
 * line. Every request is recorded with its headers and JSON body.
 */
public final class ScriptedChatCompletionsServer implements AutoCloseable {

    /** A content or reasoning piece of a streamed answer. */
    public record Piece(String content, String reasoning) {
    }

    /** The token counts of a usage chunk. */
    public record Usage(int promptTokens, int completionTokens) {
    }

    /**
     * What the server does with one request.
     *
     * @param status          the HTTP status; anything but 200 sends an OpenAI error body instead of a stream
     * @param errorMessage    the error's message, for a status other than 200
     * @param errorType       the error's type, for a status other than 200
     * @param pieces          the streamed pieces, in order
     * @param firstChunkDelay the wait after the headers and the role chunk, before the first piece
     * @param chunkDelay      the wait between pieces
     * @param finishReason    the finish reason of the last content chunk
     * @param usage           prompt and completion tokens for the usage chunk, or {@code null} to send none
     * @param cutOff          end the response after the pieces, with no finish reason, usage or {@code [DONE]}
     * @param hang            never answer, not even with headers
     */
    public record Reply(int status, String errorMessage, String errorType, List<Piece> pieces, Duration firstChunkDelay,
            Duration chunkDelay, String finishReason, Usage usage, boolean cutOff, boolean hang) {

        public static Reply streaming(String... contents) {
            return new Reply(200, null, null, Arrays.stream(contents).map(c -> new Piece(c, null)).toList(),
                    Duration.ZERO, Duration.ZERO, "stop", new Usage(17, contents.length), false, false);
        }

        public static Reply error(int status, String message, String type) {
            return new Reply(status, message, type, List.of(), Duration.ZERO, Duration.ZERO, null, null, false, false);
        }

        static Reply hanging() {
            return new Reply(200, null, null, List.of(), Duration.ZERO, Duration.ZERO, null, null, false, true);
        }

        /** Puts reasoning pieces first, as DeepSeek-R1 style servers stream their thinking before the answer. */
        Reply withReasoningFirst(String... reasoning) {
            List<Piece> all = new ArrayList<>(Arrays.stream(reasoning).map(r -> new Piece(null, r)).toList());
            all.addAll(pieces);
            return new Reply(status, errorMessage, errorType, all, firstChunkDelay, chunkDelay, finishReason, usage,
                    cutOff, hang);
        }

        Reply withFirstChunkDelay(Duration delay) {
            return new Reply(status, errorMessage, errorType, pieces, delay, chunkDelay, finishReason, usage, cutOff,
                    hang);
        }

        public Reply withChunkDelay(Duration delay) {
            return new Reply(status, errorMessage, errorType, pieces, firstChunkDelay, delay, finishReason, usage,
                    cutOff, hang);
        }

        Reply withFinishReason(String reason) {
            return new Reply(status, errorMessage, errorType, pieces, firstChunkDelay, chunkDelay, reason, usage,
                    cutOff, hang);
        }

        Reply withUsage(int promptTokens, int completionTokens) {
            return new Reply(status, errorMessage, errorType, pieces, firstChunkDelay, chunkDelay, finishReason,
                    new Usage(promptTokens, completionTokens), cutOff, hang);
        }

        Reply withoutUsage() {
            return new Reply(status, errorMessage, errorType, pieces, firstChunkDelay, chunkDelay, finishReason, null,
                    cutOff, hang);
        }

        public Reply cutOffAfterPieces() {
            return new Reply(status, errorMessage, errorType, pieces, firstChunkDelay, chunkDelay, finishReason, usage,
                    true, hang);
        }
    }

    /**
     * One request as the server received it.
     *
     * @param method  the HTTP method
     * @param path    the request path
     * @param headers the headers, names in lower case
     * @param body    the JSON body, or a missing node when there was none
     */
    public record Received(String method, String path, Map<String, List<String>> headers, JsonNode body) {

        /** The first value of a header, or {@code null}. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase());
            return values == null || values.isEmpty() ? null : values.getFirst();
        }
    }

    private static final String MODEL = "scripted-model";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private volatile int modelsStatus = 200;

    private ScriptedChatCompletionsServer(HttpServer server) {
        this.server = server;
    }

    /** Starts on a free port of the loopback interface. */
    public static ScriptedChatCompletionsServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ScriptedChatCompletionsServer scripted = new ScriptedChatCompletionsServer(http);
            http.setExecutor(scripted.executor);
            http.createContext("/v1/chat/completions", scripted::chatCompletions);
            http.createContext("/v1/models", scripted::models);
            http.start();
            return scripted;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL as {@link OpenAiGeneratorProperties#baseUrl()} takes it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues the answer to the next chat completions request. */
    public ScriptedChatCompletionsServer enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    /** Sets the status {@code GET /v1/models} answers with. */
    void modelsStatus(int status) {
        modelsStatus = status;
    }

    /** Every request received so far, in order. */
    public List<Received> requests() {
        return List.copyOf(received);
    }

    Received lastRequest() {
        return received.getLast();
    }

    /** Waits until a write of a stream failed because the client had closed the connection. */
    public boolean awaitClientDisconnect(Duration timeout) throws InterruptedException {
        return disconnected.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
        remember(exchange, body);
        Reply reply = replies.poll();
        try (exchange) {
            if (reply == null) {
                respondError(exchange, 500, "no reply scripted for this request", "test_setup_error");
            } else if (reply.hang()) {
                pause(Duration.ofMinutes(5));
            } else if (reply.status() != 200) {
                respondError(exchange, reply.status(), reply.errorMessage(), reply.errorType());
            } else {
                stream(exchange, reply, body.path("stream_options").path("include_usage").asBoolean(false));
            }
        }
    }

    private void stream(HttpExchange exchange, Reply reply, boolean includeUsage) {
        String id = "chatcmpl-" + Long.toHexString(System.nanoTime());
        long created = System.currentTimeMillis() / 1000;
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        try {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            send(out, chunk(id, created, Map.of("role", "assistant", "content", ""), null));
            pause(reply.firstChunkDelay());
            for (int i = 0; i < reply.pieces().size(); i++) {
                if (i > 0) {
                    pause(reply.chunkDelay());
                }
                Piece piece = reply.pieces().get(i);
                send(out, chunk(id, created, piece.reasoning() != null
                        ? Map.of("reasoning_content", piece.reasoning())
                        : Map.of("content", piece.content()), null));
            }
            if (reply.cutOff()) {
                return;
            }
            send(out, chunk(id, created, Map.of("content", ""), reply.finishReason()));
            if (includeUsage && reply.usage() != null) {
                Map<String, Object> usage = new LinkedHashMap<>();
                usage.put("id", id);
                usage.put("object", "chat.completion.chunk");
                usage.put("created", created);
                usage.put("model", MODEL);
                usage.put("choices", List.of());
                Usage counts = reply.usage();
                usage.put("usage", Map.of("prompt_tokens", counts.promptTokens(),
                        "total_tokens", counts.promptTokens() + counts.completionTokens(),
                        "completion_tokens", counts.completionTokens()));
                send(out, json.writeValueAsString(usage));
            }
            send(out, "[DONE]");
        } catch (IOException e) {
            disconnected.countDown();
        }
    }

    private String chunk(String id, long created, Map<String, String> delta, String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = new LinkedHashMap<>();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", MODEL);
        chunk.put("choices", List.of(choice));
        return json.writeValueAsString(chunk);
    }

    private static void send(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void respondError(HttpExchange exchange, int status, String message, String type) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", null);
        error.put("code", status);
        byte[] bytes = json.writeValueAsBytes(Map.of("error", error));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void models(HttpExchange exchange) throws IOException {
        remember(exchange, MissingNode.getInstance());
        try (exchange) {
            int status = modelsStatus;
            if (status != 200) {
                respondError(exchange, status, "model is loading", "service_unavailable");
                return;
            }
            byte[] bytes = json.writeValueAsBytes(Map.of("object", "list",
                    "data", List.of(Map.of("id", MODEL, "object", "model", "owned_by", "vllm"))));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void remember(HttpExchange exchange, JsonNode body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        Headers requestHeaders = exchange.getRequestHeaders();
        requestHeaders.forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body));
    }

    /** Waits, but no longer than until the server is closed, so that hanging handlers end with the test. */
    private void pause(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
