package io.kb.inference.generate.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How to reach one OpenAI-compatible chat completions server (vLLM, SGLang, DeepSeek's API, Ollama). A tier of type
 * {@code openai} carries these under {@code kb.inference.tiers[n].openai}.
 *
 * @param baseUrl            the API's base URL, e.g. {@code http://vllm:8000/v1}; {@code /chat/completions} and
 *                           {@code /models} are appended to it
 * @param model              the model name the server expects
 * @param apiKey             the bearer key, when the server needs one; never logged nor shown by {@link #toString()}
 * @param timeout            the longest a generation may take (default 60 s); the request's own deadline wins when
 *                           it is earlier
 * @param connectTimeout     the longest opening a connection may take (default 3 s), so that a dead server is reported
 *                           unavailable long before the generation's deadline
 * @param readinessTimeout   the longest the readiness probe ({@code GET /models}) may take (default 2 s)
 * @param temperature        the sampling temperature, 0 to 2 (default 0.2: grounded answers should stay close to the
 *                           sources)
 * @param headers            extra request headers some gateways need (an organisation or project id, a routing
 *                           key); their values are treated as secrets like the key
 */
public record OpenAiGeneratorProperties(
        String baseUrl,
        String model,
        String apiKey,
        Duration timeout,
        Duration connectTimeout,
        Duration readinessTimeout,
        Double temperature,
        Map<String, String> headers) {

    /** Headers the JDK's HTTP client sets itself and refuses to take from the caller. */
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    /** Checks the URL, the model and the ranges, and fills in the defaults, so a bad tier fails at start-up. */
    public OpenAiGeneratorProperties {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("baseUrl is required");
        }
        baseUrl = baseUrl.strip();
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http or https URL with a host, was " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("model is required");
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        timeout = positiveOrDefault("timeout", timeout, Duration.ofSeconds(60));
        connectTimeout = positiveOrDefault("connectTimeout", connectTimeout, Duration.ofSeconds(3));
        readinessTimeout = positiveOrDefault("readinessTimeout", readinessTimeout, Duration.ofSeconds(2));
        temperature = temperature == null ? 0.2 : temperature;
        if (temperature.isNaN() || temperature < 0 || temperature > 2) {
            throw new IllegalArgumentException("temperature must be between 0 and 2, was " + temperature);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (name.isBlank() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header " + name + " cannot be set");
            }
        }
    }

    /** Shows everything but the key and the header values, which may be secrets. */
    @Override
    public String toString() {
        return "OpenAiGeneratorProperties[baseUrl=" + baseUrl
                + ", model=" + model
                + ", apiKey=" + (apiKey == null ? "none" : "****")
                + ", timeout=" + timeout
                + ", connectTimeout=" + connectTimeout
                + ", readinessTimeout=" + readinessTimeout
                + ", temperature=" + temperature
                + ", headers=" + new TreeMap<>(headers).keySet()
                + "]";
    }

    private static Duration positiveOrDefault(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
