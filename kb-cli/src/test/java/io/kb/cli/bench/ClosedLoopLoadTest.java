package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kb.cli.bench.ClosedLoopLoad.Length;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator against a real HTTP server on loopback: what it counts is what the server answered. */
class ClosedLoopLoadTest {

    private HttpServer server;
    private final AtomicInteger received = new AtomicInteger();
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // Every fifth request is refused as the gateway's rate limiter would; every answer reports tokens left.
        server.createContext("/api/v1/search", exchange -> {
            int n = received.incrementAndGet();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set(ClosedLoopLoad.RATE_LIMIT_REMAINING, Integer.toString(1000 - n));
            if (n % 5 == 0) {
                respond(exchange, 429, "{\"title\":\"Too Many Requests\",\n \"detail\":\"slow down\"}");
            } else {
                respond(exchange, 200, "{\"hits\":[]}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private HttpRequest search(int port) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/search"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"q\"}")).build();
    }

    @Test
    void countedRunSendsExactlyThatManyAndCountsEveryRefusal() throws Exception {
        LoadSample s = new ClosedLoopLoad(http, search(server.getAddress().getPort())).run(4, new Length.Counted(50));

        assertThat(received.get()).isEqualTo(50);
        assertThat(s.succeeded()).isEqualTo(40);
        assertThat(s.errors()).containsExactly(java.util.Map.entry("HTTP 429", 10L));
        // The body of a refusal is kept, on one line.
        assertThat(s.errorSamples().get("HTTP 429")).isEqualTo("{\"title\":\"Too Many Requests\", \"detail\":\"slow down\"}");
        assertThat(s.remaining()).isEqualTo(950);
        assertThat(s.elapsedNanos()).isPositive();
        assertThat(s.percentileMillis(50)).isPositive();
    }

    @Test
    void workersKeepTheirConnectionsAlive() throws Exception {
        new ClosedLoopLoad(http, search(server.getAddress().getPort())).run(3, new Length.Counted(120));

        assertThat(received.get()).isEqualTo(120);
        // One connection per worker at most, not one per request.
        assertThat(clientPorts).hasSizeBetween(1, 3);
    }

    @Test
    void timedRunStopsAfterItsDurationAndCountsWhatTheServerAnswered() throws Exception {
        LoadSample s = new ClosedLoopLoad(http, search(server.getAddress().getPort()))
                .run(2, new Length.Timed(Duration.ofMillis(300)));

        assertThat(received.get()).isPositive();
        assertThat(s.succeeded() + s.failed()).isEqualTo(received.get());
        assertThat(s.failed()).isEqualTo(received.get() / 5);
        assertThat(s.elapsedNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
    }

    @Test
    void aServiceThatIsNotThereIsCountedAsFailuresNotLatencies() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        LoadSample s = new ClosedLoopLoad(http, search(closedPort)).run(2, new Length.Counted(6));

        assertThat(s.succeeded()).isZero();
        assertThat(s.errors()).containsOnlyKeys("ConnectException").containsValue(6L);
        assertThat(s.remaining()).isEqualTo(-1);
        assertThat(s.percentileMillis(50)).isNaN();
    }

    @Test
    void longBodiesAreShortenedForTheReport() {
        assertThat(ClosedLoopLoad.shorten("x".repeat(1000))).hasSize(303).endsWith("...");
        assertThat(ClosedLoopLoad.shorten(" a\n  b ")).isEqualTo("a b");
        assertThat(ClosedLoopLoad.shorten(null)).isEmpty();
    }
}
