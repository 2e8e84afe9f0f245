package io.kb.ingest.parse;

import java.io.IOException;
import java.io.InputStream;

import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;

/**
 * The detector of the {@link org.apache.tika.parser.AutoDetectParser}, answering from the metadata when the type of
 * this very document was detected already. {@link TikaDocumentParser} detects the type itself before parsing (it
 * chooses how to read the document and refuses unsupported formats by it), and {@code AutoDetectParser.parse} would
 * then run the whole detection again: magic bytes, then opening a ZIP container to tell DOCX from XLSX. Embedded
 * documents come with metadata of their own, without the mark, and are detected as usual.
 */
final class DetectOnceDetector implements Detector {

    /** The metadata key of the type detected before the parse; set only by {@link #remember}. */
    static final String DETECTED = "X-KB-Detected-Type";

    private final Detector delegate;

    DetectOnceDetector(Detector delegate) {
        this.delegate = delegate;
    }

    /**
     * Detects with the wrapped detector and marks the metadata, so that the parse of this document does not detect
     * again.
     */
    MediaType detectAndRemember(InputStream input, Metadata metadata) throws IOException {
        MediaType detected = delegate.detect(input, metadata);
        metadata.set(DETECTED, detected.toString());
        return detected;
    }

    @Override
    public MediaType detect(InputStream input, Metadata metadata) throws IOException {
        String detected = metadata.get(DETECTED);
        if (detected != null) {
            MediaType remembered = MediaType.parse(detected);
            if (remembered != null) {
                return remembered;
            }
        }
        return delegate.detect(input, metadata);
    }
}
