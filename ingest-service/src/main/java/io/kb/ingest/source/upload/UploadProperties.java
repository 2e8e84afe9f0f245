package io.kb.ingest.source.upload;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The store of uploads too large to travel inside their event ({@link UploadStore}).
 *
 * @param dir           the folder of {@link FileSystemUploadStore}; {@code ${kb.data-dir}/ingest-service/uploads} in
 *                      the local stack; in a cluster a volume that every ingest-service instance mounts
 *                      ({@code KB_INGEST_UPLOADS_DIR}), since the instance that consumes the event is rarely the one
 *                      that took the upload
 * @param maxBytes      largest upload stored; the multipart limits ({@code spring.servlet.multipart.*}) should match
 * @param maxAge        an upload older than this is removed even when its document version never settled (a failed
 *                      document keeps its upload until then, so that its dead letter can be replayed)
 * @param sweepInterval how often uploads older than {@code maxAge} are looked for
 */
@Validated
@ConfigurationProperties("kb.ingest.uploads")
public record UploadProperties(
        @NotNull Path dir,
        @NotNull @DefaultValue("50MB") DataSize maxBytes,
        @NotNull @DefaultValue("7d") Duration maxAge,
        @NotNull @DefaultValue("1h") Duration sweepInterval) {

    public UploadProperties {
        if (maxBytes != null && maxBytes.toBytes() <= 0) {
            throw new IllegalArgumentException("kb.ingest.uploads.max-bytes must be positive");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("kb.ingest.uploads.max-age must be positive");
        }
        if (sweepInterval != null && (sweepInterval.isNegative() || sweepInterval.isZero())) {
            throw new IllegalArgumentException("kb.ingest.uploads.sweep-interval must be positive");
        }
    }
}
