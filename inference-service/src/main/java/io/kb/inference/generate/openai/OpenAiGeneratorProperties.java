package io.kb.inference.generate.openai;

import java.time.Duration;

/**
 * How to reach one OpenAI-compatible chat completions server (vLLM, SGLang, DeepSeek's API, Ollama). A tier of type
 * {@code openai} carries these under {@code kb.inference.tiers[n].openai}.
 *
 * @param baseUrl the API's base URL, e.g. {@code http://vllm:8000/v1}
 * @param model   the model name the server expects
 * @param apiKey  the bearer key, when the server needs one; never logged
 * @param timeout the longest a generation may take
 */
public record OpenAiGeneratorProperties(String baseUrl, String model, String apiKey, Duration timeout) {
}
