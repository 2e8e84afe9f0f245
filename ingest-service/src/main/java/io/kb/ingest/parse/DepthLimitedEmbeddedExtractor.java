package io.kb.ingest.parse;

import java.io.IOException;
import java.io.InputStream;

import org.apache.tika.extractor.ParsingEmbeddedDocumentExtractor;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.parser.ParseContext;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

/**
 * Parses embedded documents (e-mail attachments, files in archives) into the same output, but only
 * down to a nesting depth; deeper ones are skipped, so an archive of archives cannot recurse without end.
 * One instance per parse: it counts the depth of the parse it belongs to.
 */
final class DepthLimitedEmbeddedExtractor extends ParsingEmbeddedDocumentExtractor {

    private final int maxDepth;
    private int depth;

    DepthLimitedEmbeddedExtractor(ParseContext context, int maxDepth) {
        super(context);
        this.maxDepth = maxDepth;
    }

    @Override
    public boolean shouldParseEmbedded(Metadata metadata) {
        return depth < maxDepth && super.shouldParseEmbedded(metadata);
    }

    @Override
    public void parseEmbedded(InputStream stream, ContentHandler handler, Metadata metadata, boolean outputHtml)
            throws SAXException, IOException {
        if (depth >= maxDepth) {
            return;
        }
        depth++;
        try {
            super.parseEmbedded(stream, handler, metadata, outputHtml);
        } finally {
            depth--;
        }
    }
}
