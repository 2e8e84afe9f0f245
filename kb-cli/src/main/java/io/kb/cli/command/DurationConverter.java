package io.kb.cli.command;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;

/** Reads {@code 250ms}, {@code 90s}, {@code 3m}, {@code 1h}, {@code 2d} or an ISO-8601 duration ({@code PT3M}). */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("m") && !v.startsWith("p")) {
            return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("h") && !v.startsWith("p")) {
            return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        if (v.endsWith("d") && !v.startsWith("p")) {
            return Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1)));
        }
        return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
