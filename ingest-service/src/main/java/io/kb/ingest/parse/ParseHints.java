package io.kb.ingest.parse;

/**
 * What a producer declared about a document's content. Only hints: the parser detects the format from
 * the bytes, and uses these to tell apart formats that share a container (Markdown and plain text).
 *
 * @param mediaType the declared media type, parameters allowed ({@code text/markdown; charset=utf-8});
 *        null or {@code application/octet-stream} when unknown
 * @param fileName the original file name, such as {@code report.pdf}; null when unknown
 */
public record ParseHints(String mediaType, String fileName) {

    private static final ParseHints NONE = new ParseHints(null, null);

    /** No hints: detect everything from the content. */
    public static ParseHints none() {
        return NONE;
    }

    /** The declared media type without parameters, in lower case; empty when none was declared. */
    String baseMediaType() {
        if (mediaType == null) {
            return "";
        }
        int semicolon = mediaType.indexOf(';');
        return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
    }
}
