package io.kb.inference.api.openai;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls to the OpenAI-compatible API of a service under test, and the parsing of its event streams. */
final class OpenAiApiClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final int port;

    OpenAiApiClient(int port) {
        this.port = port;
    }

    HttpResponse<String> post(String path, String token, Object body) throws Exception {
        return postRaw(path, token, body instanceof String s ? s : json(body));
    }

    HttpResponse<String> postRaw(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpClient http() {
        return http;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String json(Object body) {
        return json.writeValueAsString(body);
    }

    JsonNode read(String body) {
        return json.readTree(body);
    }

    /** The {@code data} of each event of a Server-Sent Events body, in order, as sent ({@code [DONE]} included). */
    static List<String> data(String body) {
        List<String> events = new ArrayList<>();
        for (String block : body.split("\\R\\R")) {
            StringBuilder data = new StringBuilder();
            for (String line : block.split("\\R")) {
                if (line.startsWith("data:")) {
                    String value = line.substring(5);
                    data.append(data.isEmpty() ? "" : "\n").append(value.startsWith(" ") ? value.substring(1) : value);
                }
            }
            if (!data.isEmpty()) {
                events.add(data.toString());
            }
        }
        return events;
    }

    /** The error body's {@code error} member, checked to have OpenAI's four fields. */
    JsonNode error(HttpResponse<String> r) {
        JsonNode error = read(r.body()).path("error");
        if (!error.isObject() || !error.has("message") || !error.has("type") || !error.has("param")
                || !error.has("code")) {
            throw new AssertionError("not an OpenAI error (" + r.statusCode() + "): " + r.body());
        }
        return error;
    }
}
