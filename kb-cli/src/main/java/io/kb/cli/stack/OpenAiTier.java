package io.kb.cli.stack;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A generator tier of type {@code openai} (any OpenAI-compatible server: vLLM, Ollama, SGLang, DeepSeek's API, the
 * stand-in of {@code io.kb.cli.llm}) put before the extractive tier of the local stack's inference-service, as
 * {@code kb up --llm-url} does. It turns into the service's {@code kb.inference.tiers[n]} arguments.
 *
 * @param name      the tier's name in answers and metrics ({@code primary})
 * @param baseUrl   the API's base URL, {@code /v1} included ({@code http://127.0.0.1:11434/v1} for Ollama)
 * @param model     the model name the server expects
 * @param apiKeyEnv the environment variable that holds the API key, or null when the server needs none; only its
 *                  name travels (as a {@code ${VAR}} placeholder the service resolves), never the key
 * @param slo       the time to first token the tier must keep; past twice this the extractive tier answers
 */
public record OpenAiTier(String name, URI baseUrl, String model, String apiKeyEnv, Duration slo) {

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Checks every part, so that a mistake fails {@code kb up} before anything starts. */
    public OpenAiTier {
        if (name == null || !name.matches("[a-z][a-z0-9-]{0,31}") || name.equals("extractive")) {
            throw new IllegalArgumentException("tier name: 1-32 lower-case letters, digits or '-', not 'extractive'; "
                    + "was " + name);
        }
        if (baseUrl == null || baseUrl.getHost() == null
                || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException("--llm-url: must be an http or https URL with a host, such as "
                    + "http://127.0.0.1:11434/v1; was " + baseUrl);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--llm-model: the model name the server expects is required");
        }
        if (apiKeyEnv != null && !ENV_NAME.matcher(apiKeyEnv).matches()) {
            throw new IllegalArgumentException("--llm-api-key-env: must name an environment variable "
                    + "(letters, digits, '_'), was " + apiKeyEnv);
        }
        if (slo == null || slo.isNegative() || slo.isZero() || slo.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("--llm-slo: must be positive and at most 1 minute, was " + slo);
        }
        model = model.strip();
    }

    /** A tier named {@code primary}, the usual first tier. */
    public static OpenAiTier primary(URI baseUrl, String model, String apiKeyEnv, Duration slo) {
        return new OpenAiTier("primary", baseUrl, model, apiKeyEnv, slo);
    }

    /**
     * inference-service's arguments for this tier first and the extractive tier second; they replace the tiers of
     * its configuration files.
     */
    public List<String> thenExtractive() {
        String t0 = "--kb.inference.tiers[0].";
        List<String> args = new ArrayList<>(List.of(
                t0 + "name=" + name,
                t0 + "type=openai",
                t0 + "slo=" + slo.toMillis() + "ms",
                t0 + "openai.base-url=" + baseUrl,
                t0 + "openai.model=" + model));
        if (apiKeyEnv != null) {
            args.add(t0 + "openai.api-key=${" + apiKeyEnv + "}");
        }
        args.add("--kb.inference.tiers[1].name=extractive");
        args.add("--kb.inference.tiers[1].type=extractive");
        return List.copyOf(args);
    }

    /** One line for people: the tier, never the key. */
    public String describe() {
        return name + " (openai: " + model + " at " + baseUrl + ", SLO " + slo.toMillis() + " ms"
                + (apiKeyEnv == null ? "" : ", key from $" + apiKeyEnv) + ") -> extractive";
    }
}
