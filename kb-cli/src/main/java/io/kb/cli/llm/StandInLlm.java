package io.kb.cli.llm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for an OpenAI-compatible language model server, for drills and benchmarks only: it is not a model and
 * understands nothing. It speaks the parts of the chat completions API that inference-service's {@code openai} tier
 * uses ({@code POST /v1/chat/completions}, streamed as Server-Sent Events up to {@code data: [DONE]} or whole, and
 * {@code GET /v1/models}), and answers by quoting: from the numbered sources in the last user message (the shape of
 * inference-service's {@code sources.*.txt} prompt: a line {@code [n] title}, the source's text, then
 * {@code Question: ...}), it takes the first source, picks its sentence sharing the most words with the question, and
 * ends it with the source's marker, so the citation check keeps the answer. A request without numbered sources (a
 * query rewrite, a health probe) gets the last user message back.
 *
 * <p>What makes it useful is that its latency is set at run time: {@link #setFirstTokenDelay(Duration)} in process,
 * or {@code PUT /admin/latency} with {@code {"firstTokenMillis": 2000, "tokenIntervalMillis": 0}} on a running one
 * ({@code GET /admin/latency} reads them). Raising the delay past a tier's SLO is how a drill makes the primary tier
 * slow, so that the degradation policy has something to react to.
 */
public final class StandInLlm implements AutoCloseable {

    /** The model name it serves unless told otherwise. */
    public static final String DEFAULT_MODEL = "stand-in";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A source's first line in the answer prompt: {@code [3] Title (page 2)}. */
    private static final Pattern SOURCE_START = Pattern.compile("^\\[(\\d{1,3})]\\s?(.*)$");
    /** The question line that ends the prompt, in the prompt's languages. */
    private static final Pattern QUESTION_LINE = Pattern.compile("^(?:Question:|问题[:：])\\s*(.*)$");
    /** A sentence: up to and including its closing punctuation, or to the end of the text. */
    private static final Pattern SENTENCE = Pattern.compile("[^.!?。！？\\n]+(?:[.!?。！？]+|$)", Pattern.MULTILINE);
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Pattern PIECE = Pattern.compile("\\S+\\s*|\\s+");
    private static final int LONGEST_PIECE = 8;
    private static final long MAX_DELAY_MILLIS = 600_000;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String model;
    private final AtomicLong firstTokenMillis;
    private final AtomicLong tokenIntervalMillis = new AtomicLong();
    private final AtomicLong completions = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    private StandInLlm(HttpServer server, String model, Duration firstTokenDelay) {
        this.server = server;
        this.model = model;
        this.firstTokenMillis = new AtomicLong(checkedMillis("firstTokenDelay", firstTokenDelay));
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::chatCompletions);
        server.createContext("/v1/models", this::models);
        server.createContext("/admin/latency", this::latency);
        server.createContext("/", exchange -> error(exchange, 404, "not_found", "no route " + exchange.getRequestURI().getPath()));
    }

    /**
     * Starts a stand-in on loopback.
     *
     * @param port            the port, or 0 for a free one
     * @param model           the model name it serves; requests naming another get a 404, as from a real server
     * @param firstTokenDelay how long it waits before the first token of each completion
     */
    public static StandInLlm start(int port, String model, Duration firstTokenDelay) {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            StandInLlm llm = new StandInLlm(server, model.strip(), firstTokenDelay);
            server.start();
            return llm;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** The base URL of its API, as an {@code openai} tier's {@code base-url} takes it: {@code http://127.0.0.1:P/v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    }

    public String model() {
        return model;
    }

    public Duration firstTokenDelay() {
        return Duration.ofMillis(firstTokenMillis.get());
    }

    /** Sets the wait before the first token of every completion that starts from now on. */
    public void setFirstTokenDelay(Duration delay) {
        firstTokenMillis.set(checkedMillis("firstTokenDelay", delay));
    }

    public Duration tokenInterval() {
        return Duration.ofMillis(tokenIntervalMillis.get());
    }

    /** Sets the wait between streamed pieces after the first (default none). */
    public void setTokenInterval(Duration interval) {
        tokenIntervalMillis.set(checkedMillis("tokenInterval", interval));
    }

    /** Completions started so far, streamed or not. */
    public long completions() {
        return completions.get();
    }

    /** Stops listening and ends the completions in progress; a second call does nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                error(exchange, 405, "invalid_request_error", "use POST");
                return;
            }
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                body = JSON.readTree(in);
            } catch (JacksonException e) {
                error(exchange, 400, "invalid_request_error", "the body is not JSON");
                return;
            }
            String requested = body.path("model").asString("");
            if (!requested.equals(model)) {
                error(exchange, 404, "model_not_found", "the model '" + requested + "' does not exist; this server "
                        + "serves '" + model + "'");
                return;
            }
            JsonNode messages = body.path("messages");
            if (!messages.isArray() || messages.isEmpty()) {
                error(exchange, 400, "invalid_request_error", "messages: at least one message is required");
                return;
            }
            completions.incrementAndGet();
            int maxTokens = body.path("max_tokens").canConvertToInt() ? Math.max(1, body.path("max_tokens").asInt())
                    : Integer.MAX_VALUE;
            List<String> pieces = pieces(reply(lastUserMessage(messages)));
            boolean cut = pieces.size() > maxTokens;
            if (cut) {
                pieces = pieces.subList(0, maxTokens);
            }
            String finish = cut ? "length" : "stop";
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            if (body.path("stream").asBoolean(false)) {
                stream(exchange, id, pieces, finish, body.path("stream_options").path("include_usage").asBoolean(false),
                        messages);
            } else {
                whole(exchange, id, pieces, finish, messages);
            }
        } catch (IOException e) {
            // The client went away (a tier abandoned for a slow first token closes its stream): nothing to answer.
        }
    }

    private void stream(HttpExchange exchange, String id, List<String> pieces, String finish, boolean usage,
            JsonNode messages) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        long created = System.currentTimeMillis() / 1000;
        ObjectNode role = chunk(id, created);
        role.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                .putObject("delta").put("role", "assistant");
        event(out, role.toString());
        sleep(firstTokenMillis.get());
        for (int i = 0; i < pieces.size(); i++) {
            if (i > 0) {
                sleep(tokenIntervalMillis.get());
            }
            ObjectNode c = chunk(id, created);
            c.putArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").put("content", pieces.get(i));
            event(out, c.toString());
        }
        ObjectNode last = chunk(id, created);
        last.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).putObject("delta");
        event(out, last.toString());
        if (usage) {
            ObjectNode u = chunk(id, created);
            u.putArray("choices");
            u.set("usage", usage(messages, pieces));
            event(out, u.toString());
        }
        event(out, "[DONE]");
    }

    private void whole(HttpExchange exchange, String id, List<String> pieces, String finish, JsonNode messages)
            throws IOException {
        sleep(firstTokenMillis.get() + tokenIntervalMillis.get() * Math.max(0, pieces.size() - 1));
        ObjectNode response = JSON.createObjectNode().put("id", id).put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", model);
        ObjectNode choice = response.putArray("choices").addObject().put("index", 0).put("finish_reason", finish);
        choice.putObject("message").put("role", "assistant").put("content", String.join("", pieces));
        response.set("usage", usage(messages, pieces));
        send(exchange, 200, response.toString());
    }

    private void models(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "invalid_request_error", "use GET");
                return;
            }
            ObjectNode list = JSON.createObjectNode().put("object", "list");
            list.putArray("data").addObject().put("id", model).put("object", "model").put("created", 0)
                    .put("owned_by", "kb-stand-in");
            send(exchange, 200, list.toString());
        }
    }

    /** {@code GET} reads the delays; {@code PUT} with either or both of the fields sets them. */
    private void latency(HttpExchange exchange) throws IOException {
        try (exchange) {
            switch (exchange.getRequestMethod()) {
                case "GET" -> {
                }
                case "PUT", "POST" -> {
                    JsonNode body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = JSON.readTree(in);
                    } catch (JacksonException e) {
                        error(exchange, 400, "invalid_request_error", "the body is not JSON");
                        return;
                    }
                    try {
                        Long first = millisField(body, "firstTokenMillis");
                        Long interval = millisField(body, "tokenIntervalMillis");
                        if (first == null && interval == null) {
                            throw new IllegalArgumentException("set firstTokenMillis, tokenIntervalMillis or both");
                        }
                        if (first != null) {
                            setFirstTokenDelay(Duration.ofMillis(first));
                        }
                        if (interval != null) {
                            setTokenInterval(Duration.ofMillis(interval));
                        }
                    } catch (IllegalArgumentException e) {
                        error(exchange, 400, "invalid_request_error", e.getMessage());
                        return;
                    }
                }
                default -> {
                    error(exchange, 405, "invalid_request_error", "use GET or PUT");
                    return;
                }
            }
            send(exchange, 200, JSON.createObjectNode().put("firstTokenMillis", firstTokenMillis.get())
                    .put("tokenIntervalMillis", tokenIntervalMillis.get()).toString());
        }
    }

    private static Long millisField(JsonNode body, String name) {
        JsonNode v = body.path(name);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(name + ": must be a whole number of milliseconds, was " + v);
        }
        return v.asLong();
    }

    /** The quoted answer for an answer prompt, else the message itself. */
    static String reply(String userMessage) {
        String question = null;
        List<Integer> numbers = new ArrayList<>();
        List<StringBuilder> texts = new ArrayList<>();
        StringBuilder current = null;
        for (String line : userMessage.split("\n", -1)) {
            Matcher q = QUESTION_LINE.matcher(line.strip());
            Matcher s = SOURCE_START.matcher(line);
            if (q.matches()) {
                question = q.group(1);
                current = null;
            } else if (s.matches()) {
                numbers.add(Integer.parseInt(s.group(1)));
                current = new StringBuilder();
                texts.add(current);
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        if (numbers.isEmpty()) {
            return userMessage.strip();
        }
        String sentence = bestSentence(texts.getFirst().toString(), question == null ? userMessage : question);
        return sentence == null ? userMessage.strip() : sentence + " [" + numbers.getFirst() + "]";
    }

    /** The source's sentence sharing the most words with the question; the first one on a tie. */
    private static String bestSentence(String text, String question) {
        Set<String> asked = words(question);
        String best = null;
        int bestScore = -1;
        Matcher m = SENTENCE.matcher(text);
        while (m.find()) {
            String sentence = m.group().strip().replaceFirst("^[#>*\\-\\s]+", "");
            if (words(sentence).size() < 3) {
                continue;
            }
            Set<String> shared = words(sentence);
            shared.retainAll(asked);
            if (shared.size() > bestScore) {
                best = sentence;
                bestScore = shared.size();
            }
        }
        return best;
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (w.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
                // No spaces between Chinese words: single characters stand in for them.
                w.codePoints().forEach(c -> words.add(Character.toString(c)));
            } else if (w.length() > 2) {
                words.add(w);
            }
        }
        return words;
    }

    /** The reply cut into the pieces a model would stream: words with their trailing space, long runs split. */
    static List<String> pieces(String reply) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PIECE.matcher(reply);
        while (m.find()) {
            String p = m.group();
            for (int i = 0; i < p.length(); i += LONGEST_PIECE) {
                pieces.add(p.substring(i, Math.min(p.length(), i + LONGEST_PIECE)));
            }
        }
        if (pieces.isEmpty()) {
            pieces.add(".");
        }
        return pieces;
    }

    private static String lastUserMessage(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asString(""))) {
                last = m.path("content").asString("");
            }
        }
        return last;
    }

    private ObjectNode chunk(String id, long created) {
        return JSON.createObjectNode().put("id", id).put("object", "chat.completion.chunk").put("created", created)
                .put("model", model);
    }

    private static ObjectNode usage(JsonNode messages, List<String> pieces) {
        int prompt = 0;
        for (JsonNode m : messages) {
            prompt += 4 + m.path("content").asString("").length() / 4;
        }
        return JSON.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", pieces.size())
                .put("total_tokens", prompt + pieces.size());
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").putNull("code");
        send(exchange, status, body.toString());
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) throws IOException {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static long checkedMillis(String name, Duration d) {
        if (d == null || d.isNegative() || d.toMillis() > MAX_DELAY_MILLIS) {
            throw new IllegalArgumentException(name + ": must be between 0 and " + MAX_DELAY_MILLIS + " ms, was " + d);
        }
        return d.toMillis();
    }
}
