package io.kb.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Real HTTP servers standing in for ingest, retrieval and inference: each records what reached it (path,
 * method, body, headers) and answers {@code {"from":"<name>"}}, so a test sees exactly what the gateway passed on.
 * A test may script the answers of a stand-in ({@link #answer}); each request runs on its own virtual thread, so a
 * slow answer holds up no other.
 */
public final class RecordingUpstreams {

    /** One request as a service received it. */
    public record Seen(String upstream, String method, String path, String body, Map<String, List<String>> headers) {

        /** The values of a header, whatever the case of its name; empty when it was not sent. */
        public List<String> header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .toList();
        }
    }

    /** How a scripted stand-in answers a request whose body it has read and recorded. */
    @FunctionalInterface
    public interface Answer {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();

    /** Starts the three stand-ins on free ports and points {@code kb.gateway.upstreams.*} at them. */
    public static RecordingUpstreams start(DynamicPropertyRegistry registry) {
        RecordingUpstreams upstreams = new RecordingUpstreams();
        for (String name : List.of("ingest", "retrieval", "inference")) {
            HttpServer server = upstreams.startOne(name, 0);
            registry.add("kb.gateway.upstreams." + name, () -> "http://127.0.0.1:" + server.getAddress().getPort());
        }
        return upstreams;
    }

    /** What reached the services since the last {@link #forget()}. */
    public List<Seen> seen() {
        return seen;
    }

    /** Forgets what was seen and every scripted answer. */
    public void forget() {
        seen.clear();
        answers.clear();
    }

    /** From now until {@link #forget()}, the stand-in {@code name} answers with {@code answer}. */
    public void answer(String name, Answer answer) {
        answers.put(name, answer);
    }

    /** What reached the stand-in {@code name}. */
    public List<Seen> seenBy(String name) {
        return seen.stream().filter(s -> s.upstream().equals(name)).toList();
    }

    /** Stops one stand-in and returns its port, for {@link #restart}. */
    public int stop(String name) {
        HttpServer server = servers.remove(name);
        int port = server.getAddress().getPort();
        server.stop(0);
        return port;
    }

    public void restart(String name, int port) {
        startOne(name, port);
    }

    public void stopAll() {
        servers.values().forEach(s -> s.stop(0));
        servers.clear();
    }

    private HttpServer startOne(String name, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " stand-in on port " + port, e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(new Seen(name, exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                    Map.copyOf(exchange.getRequestHeaders())));
            Answer scripted = answers.get(name);
            if (scripted != null) {
                scripted.answer(exchange);
                return;
            }
            respond(exchange, 200, "{\"from\":\"" + name + "\"}");
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        servers.put(name, server);
        return server;
    }

    /** Answers a scripted request with a JSON body and closes the exchange. */
    public static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** Holds a scripted answer back, as a slow upstream would. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
