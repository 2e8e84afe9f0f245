package io.kb.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AbstractParser;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.sax.XHTMLContentHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.util.unit.DataSize;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;

@Timeout(60)
class TikaDocumentParserLimitsTest {

    private static final ParseProperties DEFAULTS = ParseProperties.defaults();
    private static final TikaDocumentParser PARSER = new TikaDocumentParser(DEFAULTS);

    private static ParseFailure.Reason failureOf(TikaDocumentParser parser, byte[] content) {
        return failureOf(parser, new ByteArrayInputStream(content));
    }

    private static ParseFailure.Reason failureOf(TikaDocumentParser parser, InputStream content) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> parser.parse(content, ParseHints.none()));
        assertThat(thrown).isInstanceOf(ParseFailure.class);
        assertThat(thrown.getMessage()).isNotBlank();
        return ((ParseFailure) thrown).reason();
    }

    private static ParseProperties with(DataSize maxBytes, int maxPages, int maxCharacters, Duration timeout) {
        return new ParseProperties(maxBytes, maxPages, maxCharacters, DEFAULTS.maxEmbeddedDepth(),
                DEFAULTS.maxCompressionRatio(), DEFAULTS.maxElementDepth(), timeout, 1, DEFAULTS.boilerplateMinPageShare());
    }

    @Test
    void rejectsTruncatedPdfAsCorrupt() {
        byte[] pdf = Fixtures.pdf(List.of(List.of("Line one of a longer document."), List.of("Second page.")), false);

        assertThat(failureOf(PARSER, Arrays.copyOf(pdf, pdf.length / 2))).isEqualTo(ParseFailure.Reason.CORRUPT);
    }

    @Test
    void rejectsEncryptedPdf() {
        assertThat(failureOf(PARSER, Fixtures.encryptedPdf())).isEqualTo(ParseFailure.Reason.ENCRYPTED);
    }

    @Test
    void rejectsZipBombDocx() {
        byte[] bomb = Fixtures.zipBombDocx(64 << 20);
        assertThat(bomb.length).isLessThan(1 << 20);

        assertThat(failureOf(PARSER, bomb)).isEqualTo(ParseFailure.Reason.ZIP_BOMB);
    }

    @Test
    void rejectsContentOverTheByteLimitWhileStreaming() {
        TikaDocumentParser parser = new TikaDocumentParser(with(DataSize.ofKilobytes(64), 10, 1000, Duration.ofSeconds(10)));
        // An endless stream: the parser must stop reading at the limit instead of buffering it all.
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };

        assertThat(failureOf(parser, endless)).isEqualTo(ParseFailure.Reason.TOO_LARGE);
    }

    @Test
    void rejectsTooManyCharacters() {
        TikaDocumentParser parser = new TikaDocumentParser(with(DataSize.ofMegabytes(1), 10, 1000, Duration.ofSeconds(10)));

        assertThat(failureOf(parser, Fixtures.utf8("word ".repeat(1000)))).isEqualTo(ParseFailure.Reason.TOO_LARGE);
    }

    @Test
    void rejectsTooManyPages() {
        TikaDocumentParser parser = new TikaDocumentParser(with(DataSize.ofMegabytes(1), 2, 100_000, Duration.ofSeconds(10)));
        byte[] pdf = Fixtures.pdf(IntStream.rangeClosed(1, 3).mapToObj(i -> List.of("Page text " + i)).toList(), false);

        assertThat(failureOf(parser, pdf)).isEqualTo(ParseFailure.Reason.TOO_MANY_PAGES);
    }

    @Test
    void rejectsBinaryGarbageAsUnsupported() {
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);

        assertThat(failureOf(PARSER, garbage)).isEqualTo(ParseFailure.Reason.UNSUPPORTED_FORMAT);
    }

    @Test
    void rejectsEmptyContentAndDocumentsWithoutText() {
        assertThat(failureOf(PARSER, new byte[0])).isEqualTo(ParseFailure.Reason.EMPTY);
        assertThat(failureOf(PARSER, Fixtures.utf8(" \n\t\n "))).isEqualTo(ParseFailure.Reason.EMPTY);
        assertThat(failureOf(PARSER, Fixtures.pdf(List.of(List.of()), false))).isEqualTo(ParseFailure.Reason.EMPTY);
    }

    @Test
    void abandonsAParseThatRunsPastItsDeadline() throws Exception {
        StuckParser stuck = new StuckParser();
        TikaDocumentParser tika = new TikaDocumentParser(with(DataSize.ofMegabytes(1), 10, Integer.MAX_VALUE,
                Duration.ofMillis(300)), new AutoDetectParser().getDetector(), stuck);

        long started = System.nanoTime();
        assertThat(failureOf(tika, Fixtures.utf8("plain text that never finishes parsing")))
                .isEqualTo(ParseFailure.Reason.TIMEOUT);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // The abandoned parse stops at its next output, and frees its slot for the next document.
        stuck.finished.await(5, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stuck.finished.getCount()).isZero();
    }

    @Test
    void failsEveryProblemAsParseFailureNeverAsALibraryException() {
        assertThatThrownBy(() -> PARSER.parse(new ByteArrayInputStream(Fixtures.utf8("%PDF-1.7\n garbage")),
                new ParseHints("application/pdf", "x.pdf")))
                .isInstanceOf(ParseFailure.class)
                .satisfies(e -> assertThat(((ParseFailure) e).reason().code()).isIn("corrupt", "empty"));
    }

    @Test
    void parsesADocumentLargerThanWhatIsHeldInMemoryFromATemporaryFile() {
        // Past IN_MEMORY_BYTES the content goes to a temporary file; the text must come out whole all the same.
        String paragraph = "Expense reports are due on the fifth working day of the month. ";
        int paragraphs = TikaDocumentParser.IN_MEMORY_BYTES / paragraph.length() * 3 / 2;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < paragraphs; i++) {
            text.append(i).append(' ').append(paragraph).append("\n\n");
        }
        byte[] content = Fixtures.utf8(text.toString());
        assertThat(content.length).isGreaterThan(TikaDocumentParser.IN_MEMORY_BYTES);

        ParsedDocument document = PARSER.parse(new ByteArrayInputStream(content), new ParseHints("text/plain", null));

        assertThat(document.blocks()).hasSize(paragraphs);
        assertThat(document.blocks().getLast().text()).isEqualTo((paragraphs - 1) + " " + paragraph.strip());
    }

    /** A parser that emits text in a loop, ignoring interrupts, until its handler refuses more. */
    private static final class StuckParser extends AbstractParser {

        final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

        @Override
        public Set<MediaType> getSupportedTypes(ParseContext context) {
            return Set.of(MediaType.TEXT_PLAIN);
        }

        @Override
        public void parse(InputStream stream, ContentHandler handler, Metadata metadata, ParseContext context)
                throws SAXException {
            try {
                XHTMLContentHandler xhtml = new XHTMLContentHandler(handler, metadata);
                xhtml.startDocument();
                while (true) {
                    xhtml.element("p", "still parsing");
                    long until = System.nanoTime() + 20_000_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            } finally {
                finished.countDown();
            }
        }
    }
}
