package io.kb.cli.command;

import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.StackException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code kb ask}: asks the running stack a question through the gateway, as a user of the local issuer or with a
 * given token, and prints the answer with its sources.
 */
@Command(name = "ask", description = {"Ask a question of the knowledge base and print the answer with its sources, e.g.",
        "  ./kb ask \"How many days of annual leave can I carry over?\" --user alice --groups hr"})
public final class AskCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    StackOptions options;

    @Parameters(index = "0", description = "The question.")
    String question;

    @Option(names = "--user", defaultValue = "dave",
            description = "Ask as this user of the local issuer (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--tenant", defaultValue = "aurora", description = "The user's tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--groups", split = ",", description = "The user's groups, comma-separated.")
    List<String> groups = List.of();

    @Option(names = "--token", description = "Ask with this bearer token instead of signing one.")
    String token;

    @Option(names = "--stream", description = "Print the answer while it is written.")
    boolean stream;

    @Option(names = "--json", description = "Print the API's response as it is (the event stream with --stream).")
    boolean json;

    @Option(names = "--no-cache", description = "Do not take the answer from the answer cache.")
    boolean noCache;

    @Override
    public Integer call() throws Exception {
        LocalStack stack = options.stack();
        String bearer = token != null ? token : localToken(stack);
        ObjectNode body = JSON.createObjectNode().put("question", question).put("cache", !noCache);
        URI url = stack.url("gateway").resolve(stream ? "/api/v1/answers/stream" : "/api/v1/answers");
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.ConnectException e) {
            throw new StackException("the gateway at " + stack.url("gateway") + " does not answer; is the stack "
                    + "running? (./kb status)");
        }
        PrintStream out = System.out;
        if (response.statusCode() != 200) {
            String problem = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
            System.err.println("kb ask: HTTP " + response.statusCode() + " " + problem);
            return 1;
        }
        if (json && !stream) {
            out.println(new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            return 0;
        }
        if (!stream) {
            print(JSON.readTree(response.body()), out, true);
            return 0;
        }
        return readStream(response.body(), out);
    }

    private int readStream(InputStream body, PrintStream out) throws Exception {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (json) {
                    out.println(line);
                    continue;
                }
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).stripLeading());
                } else if (line.isEmpty() && event != null) {
                    JsonNode node = JSON.readTree(data.toString());
                    switch (event) {
                        case "token" -> {
                            out.print(node.path("text").asString());
                            out.flush();
                        }
                        case "done" -> {
                            out.println();
                            print(node, out, false);
                        }
                        case "error" -> {
                            out.println();
                            System.err.println("kb ask: " + node.path("detail").asString(node.toString()));
                            return 1;
                        }
                        default -> {
                        }
                    }
                    event = null;
                    data.setLength(0);
                }
            }
        }
        return 0;
    }

    /** The answer (unless it was streamed already), its sources, and how it was made. */
    private static void print(JsonNode answer, PrintStream out, boolean withText) {
        if (withText || answer.path("dontKnow").asBoolean()) {
            out.println(answer.path("answer").asString());
        }
        JsonNode citations = answer.path("citations");
        if (!citations.isEmpty()) {
            out.println();
            out.println("Sources:");
            for (JsonNode c : citations) {
                String page = c.hasNonNull("page") ? ", page " + c.path("page").asInt() : "";
                out.println("  [" + c.path("marker").asInt() + "] " + c.path("title").asString(c.path("documentId")
                        .asString()) + " (" + c.path("documentId").asString() + page + ")");
            }
        }
        StringBuilder how = new StringBuilder("\nanswered by ").append(answer.path("tier").asString())
                .append(" (").append(answer.path("reason").asString()).append(")");
        if (answer.hasNonNull("degraded")) {
            how.append(", degraded from ").append(answer.path("degraded").path("from").asString());
        }
        if (answer.path("cached").asBoolean()) {
            how.append(", from the cache");
        }
        how.append(" in ").append(Math.round(answer.path("timings").path("total").asDouble())).append(" ms");
        out.println(how);
    }

    private String localToken(LocalStack stack) throws Exception {
        TokenCommand signer = new TokenCommand();
        signer.user = user;
        signer.tenant = tenant;
        signer.groups = groups;
        signer.ttl = Duration.ofMinutes(10);
        return signer.sign(stack.home().resolve("keys/local-issuer.jwk.json"), stack.url("gateway").toString());
    }
}
