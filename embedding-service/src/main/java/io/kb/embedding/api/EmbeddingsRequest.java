package io.kb.embedding.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * An OpenAI-format embeddings request ({@code POST /v1/embeddings}).
 *
 * @param input          one text or a list of texts; none blank (checked with the configured limits)
 * @param model          the model's name; absent means the default model
 * @param encodingFormat {@code float} (default) or {@code base64}: little-endian float32, Base64-encoded
 * @param dimensions     if given, must equal the model's dimension; the bge models cannot shorten their vectors
 * @param user           the OpenAI end-user id; accepted and ignored
 */
public record EmbeddingsRequest(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> input,
        String model,
        @JsonProperty("encoding_format") @Pattern(regexp = "float|base64", message = "must be float or base64")
        String encodingFormat,
        @Positive Integer dimensions,
        String user) {
}
