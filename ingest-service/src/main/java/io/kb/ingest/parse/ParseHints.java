package io.kb.ingest.parse;

import java.nio.charset.Charset;

/**
 * What is known about a document's content besides its bytes. The declared type and file name are only hints: the
 * parser detects the format from the bytes, and uses them to tell apart formats that share a container (Markdown and
 * plain text). The charset is a fact, not a hint: it is set only where the bytes were encoded here, as the inline text
 * of an event is.
 *
 * @param mediaType the declared media type, parameters allowed ({@code text/markdown; charset=utf-8});
 *        null or {@code application/octet-stream} when unknown
 * @param fileName the original file name, such as {@code report.pdf}; null when unknown
 * @param charset the encoding the bytes are known to be in; null when it must be detected
 */
public record ParseHints(String mediaType, String fileName, Charset charset) {

    private static final ParseHints NONE = new ParseHints(null, null, null);

    /** A declared type and file name; the encoding, if the content is text, is detected. */
    public ParseHints(String mediaType, String fileName) {
        this(mediaType, fileName, null);
    }

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
