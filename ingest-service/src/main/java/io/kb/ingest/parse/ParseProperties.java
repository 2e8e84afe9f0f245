package io.kb.ingest.parse;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits that protect the parse stage from hostile or broken files ({@code kb.ingest.parse.*}).
 * Checked when the service starts; a wrong value stops it.
 *
 * @param maxBytes the largest document accepted, in bytes; more is {@code too-large} before parsing starts
 * @param maxPages the most pages (PDF) or slides (PPTX) accepted; more is {@code too-many-pages}
 * @param maxCharacters the most characters extracted from one document, embedded documents included;
 *        more is {@code too-large} (the write limit)
 * @param maxEmbeddedDepth how deep documents inside documents are followed (attachments of an e-mail,
 *        files of an archive); deeper ones are skipped, not failed
 * @param maxCompressionRatio the most characters of output per byte of input once the output passes
 *        a million characters; more is {@code zip-bomb}
 * @param maxElementDepth the deepest nesting of structure (XHTML elements) a document may produce;
 *        more is {@code zip-bomb}
 * @param timeout the time allowed to parse one document; past it the parse is abandoned with {@code timeout}
 * @param maxConcurrentParses how many documents are parsed at once; a parse that was abandoned but
 *        has not stopped yet still holds its place, so stuck parses cannot pile up
 * @param boilerplateMinPageShare the share of pages (0..1] a line must repeat on, at the top or bottom
 *        of the page, to be removed as a running header or footer; documents with fewer than three
 *        pages are left alone
 */
@Validated
@ConfigurationProperties("kb.ingest.parse")
public record ParseProperties(
        @DefaultValue("50MB") DataSize maxBytes,
        @DefaultValue("2000") int maxPages,
        @DefaultValue("10000000") int maxCharacters,
        @DefaultValue("3") int maxEmbeddedDepth,
        @DefaultValue("100") long maxCompressionRatio,
        @DefaultValue("100") int maxElementDepth,
        @DefaultValue("60s") Duration timeout,
        @DefaultValue("4") int maxConcurrentParses,
        @DefaultValue("0.6") double boilerplateMinPageShare) {

    /** Checks every limit, so a wrong value fails at start-up. */
    public ParseProperties {
        require(maxBytes != null && maxBytes.toBytes() > 0, "max-bytes must be positive");
        require(maxPages > 0, "max-pages must be positive");
        require(maxCharacters > 0, "max-characters must be positive");
        require(maxEmbeddedDepth >= 0, "max-embedded-depth must not be negative");
        require(maxCompressionRatio > 0, "max-compression-ratio must be positive");
        require(maxElementDepth > 0, "max-element-depth must be positive");
        require(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
        require(maxConcurrentParses > 0, "max-concurrent-parses must be positive");
        require(boilerplateMinPageShare > 0 && boilerplateMinPageShare <= 1,
                "boilerplate-min-page-share must be in (0, 1]");
    }

    /** The defaults, as the service starts without configuration. */
    public static ParseProperties defaults() {
        return new ParseProperties(DataSize.ofMegabytes(50), 2000, 10_000_000, 3, 100, 100,
                Duration.ofSeconds(60), 4, 0.6);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("kb.ingest.parse." + message);
        }
    }
}
