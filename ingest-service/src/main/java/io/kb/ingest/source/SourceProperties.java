package io.kb.ingest.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where document content may come from when an event carries a reference instead of inline content.
 *
 * @param fileRoots      folders under which {@code file:} references are allowed (after resolving links); empty
 *                       refuses every {@code file:} reference, as the {@code cluster} profile does by default
 * @param inlineMaxBytes largest inline content accepted in an event
 * @param httpAllowedHosts hosts that {@code http(s):} references may name (exact names, or {@code *.example.com} for
 *                       subdomains); empty refuses every such reference, so that an event cannot make the service
 *                       call an internal address of the operator's choosing
 * @param httpMaxBytes   largest document fetched over {@code http(s):}
 * @param httpTimeout    time allowed to fetch one document over {@code http(s):}
 */
@Validated
@ConfigurationProperties("kb.ingest.source")
public record SourceProperties(
        @NotNull @DefaultValue List<Path> fileRoots,
        @NotNull @DefaultValue("1MB") DataSize inlineMaxBytes,
        @NotNull @DefaultValue List<String> httpAllowedHosts,
        @NotNull @DefaultValue("50MB") DataSize httpMaxBytes,
        @NotNull @DefaultValue("30s") Duration httpTimeout) {

    public SourceProperties {
        fileRoots = List.copyOf(fileRoots);
        httpAllowedHosts = httpAllowedHosts.stream().map(h -> h.toLowerCase(java.util.Locale.ROOT)).toList();
        if (httpTimeout.isNegative() || httpTimeout.isZero()) {
            throw new IllegalArgumentException("kb.ingest.source.http-timeout must be positive");
        }
    }

    /** Whether an {@code http(s):} reference may name this host. */
    public boolean allowsHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return httpAllowedHosts.stream().anyMatch(allowed -> allowed.startsWith("*.")
                ? h.endsWith(allowed.substring(1))
                : h.equals(allowed));
    }
}
