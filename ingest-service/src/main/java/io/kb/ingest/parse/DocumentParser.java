package io.kb.ingest.parse;

import java.io.InputStream;

/**
 * Parse stage of ingestion: turns the bytes of a document into its cleaned text and structure.
 *
 * <p>Implementations detect the format from the content (a declared media type or file name is only a
 * hint), enforce the limits that protect the service from hostile files, and report every problem as a
 * {@link ParseFailure} with a stable reason. The embedded default is {@link TikaDocumentParser}.
 */
public interface DocumentParser {

    /**
     * Parses one document.
     *
     * @param content the document's bytes; read to the end or to the byte limit, never closed here
     * @param hints what the producer declared about the content; may be {@link ParseHints#none()}
     * @return the parsed document, with at least one block of text
     * @throws ParseFailure when the content cannot or may not be parsed
     */
    ParsedDocument parse(InputStream content, ParseHints hints);
}
