package io.kb.cli.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.kb.cli.stack.StackException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends the sample questions to an inference-service's {@code POST /api/v1/answers}, uncached, each as the demo user
 * the question belongs to, from a fixed number of virtual threads, and keeps one {@link AnswerSample} per request.
 */
final class AnswerLoad {

    /** The kinds of sample questions that the sources answer, so that every one goes through generation. */
    private static final Set<String> ANSWERED_KINDS = Set.of("answerable", "allowed-restricted");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A question and the token of the user who asks it. */
    record Ask(String user, String question, String token) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Ask> asks;
    private final Duration timeout;

    AnswerLoad(List<Ask> asks, Duration timeout) {
        if (asks.isEmpty()) {
            throw new IllegalArgumentException("no questions to ask");
        }
        this.asks = List.copyOf(asks);
        this.timeout = timeout;
    }

    /**
     * The answerable questions of {@code questions.tsv} (columns id, user, language, question, ..., kind), each with
     * a token of its user from the gateway's local issuer.
     */
    static List<Ask> sampleQuestions(Path questionsTsv, URI gateway, String password) {
        List<String> lines;
        try {
            lines = Files.readAllLines(questionsTsv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StackException("cannot read the sample questions at " + questionsTsv + ": " + e.getMessage(), e);
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        List<Ask> asks = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] c = line.split("\t", -1);
            if (line.isBlank() || c.length < 7 || !ANSWERED_KINDS.contains(c[6].strip())) {
                continue;
            }
            String user = c[1].strip();
            String token = tokens.computeIfAbsent(user, u -> login(gateway, u, password));
            asks.add(new Ask(user, c[3].strip(), token));
        }
        if (asks.isEmpty()) {
            throw new StackException("no answerable questions in " + questionsTsv);
        }
        return asks;
    }

    private static String login(URI gateway, String user, String password) {
        String body = JSON.createObjectNode().put("username", user).put("password", password).toString();
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/auth/token")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new StackException("the gateway's local issuer refused " + user + " (HTTP " + r.statusCode()
                        + "); the sample users exist only under the local profile");
            }
            return JSON.readTree(r.body()).path("access_token").asString();
        } catch (IOException e) {
            throw new StackException("the gateway at " + gateway + " does not answer; is the stack running? "
                    + "(./kb status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }

    /** Exactly {@code count} requests, {@code concurrency} at a time, cycling through the questions. */
    List<AnswerSample> run(URI inference, int concurrency, int count) {
        AtomicLong next = new AtomicLong();
        return run(inference, concurrency, () -> next.getAndIncrement() < count, sample -> { });
    }

    /**
     * Requests, {@code concurrency} at a time, for as long as {@code more} says so (asked before each one).
     *
     * @param completed told of each sample as it completes, from the worker's thread
     * @return the samples in the order they completed
     */
    List<AnswerSample> run(URI inference, int concurrency, BooleanSupplier more, Consumer<AnswerSample> completed) {
        ConcurrentLinkedQueue<AnswerSample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong sequence = new AtomicLong();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.submit(() -> {
                    while (more.getAsBoolean()) {
                        Ask ask = asks.get((int) (sequence.getAndIncrement() % asks.size()));
                        AnswerSample sample = ask(inference, ask);
                        samples.add(sample);
                        completed.accept(sample);
                    }
                });
            }
        }
        return List.copyOf(samples);
    }

    AnswerSample ask(URI inference, Ask ask) {
        String body = JSON.createObjectNode().put("question", ask.question()).put("cache", false).toString();
        HttpRequest request = HttpRequest.newBuilder(inference.resolve("/api/v1/answers")).timeout(timeout)
                .header("Authorization", "Bearer " + ask.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long end = System.nanoTime();
            if (r.statusCode() != 200) {
                return AnswerSample.failure(start, end, r.statusCode(), abbreviate(r.body()));
            }
            JsonNode a = JSON.readTree(r.body());
            JsonNode timings = a.path("timings");
            return new AnswerSample(start, end, 200, a.path("tier").asString(null), a.path("reason").asString(null),
                    a.path("degraded").path("from").asString(null), timings.path("total").asDouble(0),
                    timings.path("retrieve").asDouble(0), timings.path("generate").asDouble(0), null);
        } catch (IOException | JacksonException e) {
            return AnswerSample.failure(start, System.nanoTime(), 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AnswerSample.failure(start, System.nanoTime(), 0, "interrupted");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
