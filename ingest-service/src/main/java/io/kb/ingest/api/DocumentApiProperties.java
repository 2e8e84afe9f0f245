package io.kb.ingest.api;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the documents API. Multipart uploads are bounded by Spring's {@code spring.servlet.multipart.max-file-size}
 * and {@code max-request-size} (50MB here) and by {@code kb.ingest.uploads.max-bytes}; a file over
 * {@code kb.ingest.source.inline-max-bytes} is stored in the upload store and its event carries a reference. JSON
 * content always travels inline, so it must fit {@code kb.ingest.source.inline-max-bytes}.
 *
 * @param maxJsonBody largest {@code application/json} upload read; it must leave room for the base64 form of
 *                    {@code kb.ingest.source.inline-max-bytes} (a third larger) plus the other fields
 */
@Validated
@ConfigurationProperties("kb.ingest.api")
public record DocumentApiProperties(@NotNull @DefaultValue("2MB") DataSize maxJsonBody) {

    public DocumentApiProperties {
        if (maxJsonBody.toBytes() <= 0 || maxJsonBody.toBytes() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("kb.ingest.api.max-json-body must be between 1B and 2GB");
        }
    }
}
