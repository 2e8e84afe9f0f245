package io.kb.ingest.parse;

import java.util.Map;
import java.util.Set;

import org.apache.tika.detect.Detector;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.CompositeParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;

/**
 * Tika's {@link AutoDetectParser} with its choice of parser per media type made once, when the service starts.
 *
 * <p>Tika's composite parsers answer "which parser reads this type?" by asking each of their parsers for the types it
 * supports and building a map of the answers, on every parse and again inside every nested composite; for a short
 * text that map costs more than reading the text. The answers depend only on the parse context, and
 * {@link TikaDocumentParser} gives every document (and every embedded one) a context configured alike, so the map of
 * that context is taken once here, down to the parsers that read each type. Everything else of the
 * {@code AutoDetectParser} stays: detection, the {@code SecureContentHandler} against decompression bombs, the
 * fallback for types without a parser.
 */
final class TypeSnapshotParser extends AutoDetectParser {

    private final Map<MediaType, Parser> parsers;

    /**
     * @param detector the detector of this parser
     * @param parsers  the parsers to choose from, usually Tika's default composite of all parsers it found
     * @param context  a context like the one each parse gets, which decides the types some parsers support
     */
    TypeSnapshotParser(Detector detector, Parser parsers, ParseContext context) {
        super(detector, parsers);
        this.parsers = Map.copyOf(parsers instanceof CompositeParser composite
                ? composite.getParsers(context) : super.getParsers(context));
    }

    @Override
    public Map<MediaType, Parser> getParsers(ParseContext context) {
        return parsers;
    }

    @Override
    public Set<MediaType> getSupportedTypes(ParseContext context) {
        return parsers.keySet();
    }
}
