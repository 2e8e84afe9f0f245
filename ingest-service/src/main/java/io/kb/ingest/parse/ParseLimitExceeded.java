package io.kb.ingest.parse;

import org.xml.sax.SAXException;

/**
 * Thrown from inside the SAX handler when a limit is crossed or the parse was abandoned, so that the
 * parser stops at its next output. Never leaves {@link TikaDocumentParser}: it becomes a {@link ParseFailure}.
 */
final class ParseLimitExceeded extends SAXException {

    private final ParseFailure.Reason reason;

    ParseLimitExceeded(ParseFailure.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    ParseFailure.Reason reason() {
        return reason;
    }
}
