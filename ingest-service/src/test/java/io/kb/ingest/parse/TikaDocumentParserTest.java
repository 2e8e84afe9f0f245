package io.kb.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;


import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.ParserDecorator;
import org.junit.jupiter.api.Test;

class TikaDocumentParserTest {

    private static final TikaDocumentParser PARSER = new TikaDocumentParser(ParseProperties.defaults());

    static ParsedDocument parse(byte[] content, String mediaType, String fileName) {
        return PARSER.parse(new ByteArrayInputStream(content), new ParseHints(mediaType, fileName));
    }

    private static void assertOffsets(ParsedDocument document) {
        for (Block block : document.blocks()) {
            assertThat(document.text().substring(block.startOffset(), block.endOffset())).isEqualTo(block.text());
        }
    }

    /**
     * Counts the detections that reach Tika's own detector, by the metadata object they were made for: one object
     * per document, the top-level one or an embedded one.
     */
    private static final class CountingDetector implements Detector {

        final Map<Metadata, Integer> calls = Collections.synchronizedMap(new IdentityHashMap<>());
        private final Detector delegate = new AutoDetectParser().getDetector();

        @Override
        public MediaType detect(InputStream input, Metadata metadata) throws IOException {
            calls.merge(metadata, 1, Integer::sum);
            return delegate.detect(input, metadata);
        }
    }

    @Test
    void detectsTheTypeOfADocumentOnceAndParsesItAsBefore() {
        CountingDetector counting = new CountingDetector();
        TikaDocumentParser parser = new TikaDocumentParser(ParseProperties.defaults(), counting, TikaConfig.getDefaultConfig().getParser());
        List<byte[]> documents = List.of(Fixtures.docx(), Fixtures.xlsx(), Fixtures.pptx(List.of("One slide")),
                Fixtures.pdf(List.of(List.of("A page of text.")), false),
                Fixtures.utf8("# Travel\n\nEconomy class under six hours."),
                Fixtures.utf8("<html><body><h1>Leave</h1><p>Twenty-five days a year.</p></body></html>"));
        for (byte[] content : documents) {
            counting.calls.clear();

            ParsedDocument document = parser.parse(new ByteArrayInputStream(content), ParseHints.none());

            // The PPTX has an embedded part, which is detected too: once, like the document itself.
            assertThat(counting.calls).as(document.mediaType()).isNotEmpty()
                    .allSatisfy((metadata, calls) -> assertThat(calls).isEqualTo(1));
            assertThat(document).isEqualTo(parse(content, null, null));
        }
    }

    @Test
    void choosesTheParserOfEachTypeOnceNotOnEveryDocument() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        ParserDecorator counting = new ParserDecorator(TikaConfig.getDefaultConfig().getParser()) {
            @Override
            public java.util.Set<MediaType> getSupportedTypes(ParseContext context) {
                asked.incrementAndGet();
                return super.getSupportedTypes(context);
            }
        };
        TikaDocumentParser parser = new TikaDocumentParser(ParseProperties.defaults(),
                new AutoDetectParser().getDetector(), counting);
        int atStart = asked.get();
        List<byte[]> documents = List.of(Fixtures.utf8("# Travel\n\nEconomy class under six hours."), Fixtures.docx(),
                Fixtures.utf8("<html><body><h1>Leave</h1><p>Twenty-five days a year.</p></body></html>"),
                Fixtures.pptx(List.of("One slide")));

        for (byte[] content : documents) {
            ParsedDocument document = parser.parse(new ByteArrayInputStream(content), ParseHints.none());

            assertThat(document).isEqualTo(parse(content, null, null));
        }
        // Tika's composite asks every parser for its types on each parse and each embedded part (the PPTX has one).
        assertThat(atStart).isPositive();
        assertThat(asked.get()).isEqualTo(atStart);
    }

    @Test
    void parsesPdfPagesAndDropsRunningHeadersAndFooters() {
        byte[] pdf = Fixtures.pdf(List.of(
                List.of("Expenses are reimbursed within thirty days."),
                List.of("Receipts must be kept for seven years."),
                List.of("Questions go to the finance team.")), true);

        ParsedDocument document = parse(pdf, "application/pdf", "handbook.pdf");

        assertThat(document.mediaType()).isEqualTo("application/pdf");
        assertThat(document.pageCount()).isEqualTo(3);
        assertThat(document.text()).contains("Expenses are reimbursed within thirty days.")
                .contains("Questions go to the finance team.")
                .doesNotContain("ACME Corporation").doesNotContain("Page 2 of 3");
        assertThat(document.blocks()).extracting(Block::page).containsExactly(1, 2, 3);
        assertOffsets(document);
    }

    @Test
    void detectsPdfByContentWhateverTheDeclaredTypeAndName() {
        byte[] pdf = Fixtures.pdf(List.of(List.of("Quarterly numbers are final.")), false);

        ParsedDocument document = parse(pdf, "text/plain", "notes.txt");

        assertThat(document.mediaType()).isEqualTo("application/pdf");
        assertThat(document.text()).isEqualTo("Quarterly numbers are final.");
        assertThat(document.blocks().getFirst().page()).isEqualTo(1);
    }

    @Test
    void parsesDocxHeadingsPathsAndTables() {
        ParsedDocument document = parse(Fixtures.docx(), null, null);

        assertThat(document.title()).isEqualTo("Travel Policy");
        assertThat(document.blocks()).extracting(Block::kind).containsExactly(
                BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.TABLE);
        Block hotels = document.blocks().get(3);
        assertThat(hotels.headingPath()).containsExactly("Travel Policy", "Hotels");
        assertThat(document.blocks().get(2).level()).isEqualTo(2);
        assertThat(document.blocks().get(4).text()).isEqualTo("City | Nightly limit\nLondon | 250 GBP");
        assertThat(document.blocks().get(4).headingPath()).containsExactly("Travel Policy", "Hotels");
        assertOffsets(document);
    }

    @Test
    void parsesPptxSlidesAsPages() {
        ParsedDocument document = parse(Fixtures.pptx(List.of("Roadmap for 2025", "Hiring plan", "Budget review")),
                "application/octet-stream", null);

        assertThat(document.pageCount()).isEqualTo(3);
        assertThat(document.blocks()).extracting(Block::text)
                .containsExactly("Roadmap for 2025", "Hiring plan", "Budget review");
        assertThat(document.blocks()).extracting(Block::page).containsExactly(1, 2, 3);
    }

    @Test
    void parsesXlsxSheetsAsHeadingsAndRowsAsTables() {
        ParsedDocument document = parse(Fixtures.xlsx(), null, "budget.xlsx");

        assertThat(document.blocks()).extracting(Block::kind, Block::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(BlockKind.HEADING, "Budget"),
                org.assertj.core.groups.Tuple.tuple(BlockKind.TABLE, "Item | Cost\nLaptops | 12000\nMonitors | 3000"),
                org.assertj.core.groups.Tuple.tuple(BlockKind.HEADING, "Staff"),
                org.assertj.core.groups.Tuple.tuple(BlockKind.TABLE, "Name | Team"));
        assertThat(document.blocks().get(3).headingPath()).containsExactly("Staff");
    }

    @Test
    void parsesHtmlHeadingsListsTablesAndCode() {
        String html = """
                <html><head><title>Onboarding</title><script>var x = 1;</script></head><body>
                <h1>Welcome</h1><p>Read this   first.</p>
                <h2>Accounts</h2><ul><li>Get a laptop</li><li>Set up &nbsp;VPN</li></ul>
                <table><tr><th>System</th><th>Owner</th></tr><tr><td>Mail</td><td>IT</td></tr></table>
                <pre>ssh host
                  ls -la</pre>
                <h1>Benefits</h1><p>入职第一天即可享受医疗保险。</p>
                </body></html>""";

        ParsedDocument document = parse(Fixtures.utf8(html), "text/html", "onboarding.html");

        assertThat(document.title()).isEqualTo("Onboarding");
        assertThat(document.text()).doesNotContain("var x");
        assertThat(document.blocks()).extracting(Block::kind).containsExactly(BlockKind.HEADING, BlockKind.PARAGRAPH,
                BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.LIST_ITEM, BlockKind.TABLE, BlockKind.CODE,
                BlockKind.HEADING, BlockKind.PARAGRAPH);
        assertThat(document.blocks().get(1).text()).isEqualTo("Read this first.");
        assertThat(document.blocks().get(4).text()).isEqualTo("Set up VPN");
        assertThat(document.blocks().get(4).headingPath()).containsExactly("Welcome", "Accounts");
        assertThat(document.blocks().get(5).text()).isEqualTo("System | Owner\nMail | IT");
        assertThat(document.blocks().get(6).text()).isEqualTo("ssh host\n  ls -la");
        assertThat(document.blocks().get(8).headingPath()).containsExactly("Benefits");
        assertThat(document.blocks().get(8).text()).isEqualTo("入职第一天即可享受医疗保险。");
        assertOffsets(document);
    }

    @Test
    void parsesMarkdownStructure() {
        String markdown = """
                # Release Guide

                Releases happen **every** Tuesday; see [the calendar](https://example.com).

                ## Checklist

                - Freeze the branch
                - Run the `full` test suite

                | Step | Owner |
                |------|-------|
                | Tag  | Lead  |

                ```bash
                ./release.sh --dry-run
                ```
                """;

        ParsedDocument document = parse(Fixtures.utf8(markdown), "text/markdown", null);

        assertThat(document.mediaType()).isEqualTo("text/markdown");
        assertThat(document.title()).isEqualTo("Release Guide");
        assertThat(document.blocks()).extracting(Block::kind).containsExactly(BlockKind.HEADING, BlockKind.PARAGRAPH,
                BlockKind.HEADING, BlockKind.LIST_ITEM, BlockKind.LIST_ITEM, BlockKind.TABLE, BlockKind.CODE);
        assertThat(document.blocks().get(1).text()).isEqualTo("Releases happen every Tuesday; see the calendar.");
        assertThat(document.blocks().get(4).text()).isEqualTo("Run the full test suite");
        assertThat(document.blocks().get(4).headingPath()).containsExactly("Release Guide", "Checklist");
        assertThat(document.blocks().get(5).text()).isEqualTo("Step | Owner\nTag | Lead");
        assertThat(document.blocks().get(6).text()).isEqualTo("./release.sh --dry-run");
        assertOffsets(document);
    }

    @Test
    void detectsMarkdownFromItsContentWithoutHints() {
        ParsedDocument document = parse(Fixtures.utf8("# 安装指南\n\n先下载安装包，然后运行安装程序。\n"), null, null);

        assertThat(document.mediaType()).isEqualTo("text/markdown");
        assertThat(document.title()).isEqualTo("安装指南");
        assertThat(document.language()).isEqualTo("zh");
        assertThat(document.blocks().get(1).headingPath()).containsExactly("安装指南");
    }

    @Test
    void parsesPlainTextParagraphsInEnglishAndChinese() {
        String text = "The office opens at nine.\nIt closes at six.\n\n\n办公室九点开门，\n六点关门。\r\n";

        ParsedDocument document = parse(Fixtures.utf8(text), "text/plain; charset=utf-8", "hours.txt");

        assertThat(document.mediaType()).isEqualTo("text/plain");
        assertThat(document.text()).isEqualTo("The office opens at nine. It closes at six.\n\n办公室九点开门，六点关门。");
        assertThat(document.blocks()).hasSize(2).allMatch(block -> block.kind() == BlockKind.PARAGRAPH);
        assertThat(document.title()).isNull();
    }

    @Test
    void parsesEmailSubjectHeadersAndBody() {
        String eml = "From: Alice Smith <alice@example.com>\r\nTo: bob@example.com\r\nSubject: Quarterly report\r\n"
                + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Hello Bob,\r\nthe numbers are in and they look good.\r\n";

        ParsedDocument document = parse(Fixtures.utf8(eml), "message/rfc822", null);

        assertThat(document.mediaType()).isEqualTo("message/rfc822");
        assertThat(document.title()).isEqualTo("Quarterly report");
        assertThat(document.metadata()).containsEntry("from", "Alice Smith <alice@example.com>")
                .containsEntry("to", "bob@example.com").containsEntry("date", "2024-01-01T10:00:00Z");
        assertThat(document.text()).contains("Hello Bob, the numbers are in and they look good.");
        assertThat(document.language()).isEqualTo("en");
    }

    @Test
    void readsInlineTextInTheEncodingItIsKnownToHaveEvenWhenItQuotesAnother() {
        // A page about HTML that quotes a meta charset: Tika's encoding detection reads the declaration and takes the
        // UTF-8 bytes for windows-1252. Inline text is UTF-8 by construction, so that guess is never made for it.
        String markdown = "# Encodings\n\nOld pages said <meta charset=\"windows-1252\"> in their head, "
                + "and the café’s menu broke.";

        ParsedDocument document = PARSER.parse(new ByteArrayInputStream(Fixtures.utf8(markdown)),
                new ParseHints("text/markdown", null, java.nio.charset.StandardCharsets.UTF_8));

        assertThat(document.text()).endsWith("and the café’s menu broke.");
        assertThat(document.title()).isEqualTo("Encodings");
    }

    @Test
    void aTextFileThatQuotesAMetaCharsetIsNotReadInThatCharset() {
        // A file's encoding is guessed; an HTML declaration quoted in Markdown or plain text is not its encoding.
        String markdown = "# Encodings\n\nOld pages said <meta charset=\"windows-1252\"> in their head, "
                + "and the café’s menu broke.";
        for (String type : new String[] {"text/markdown", "text/plain", null}) {
            ParsedDocument document = parse(Fixtures.utf8(markdown), type, null);

            assertThat(document.text()).as(type).endsWith("and the café’s menu broke.");
        }
    }

    @Test
    void cleansControlCharactersAndNormalisesUnicode() {
        String text = "Cafe\u0301 menu\u0007 with\u200B soft\u00ADhyphen\u00A0and\ttabs";

        ParsedDocument document = parse(Fixtures.utf8(text), "text/plain", null);

        assertThat(document.text()).isEqualTo("Café menu with softhyphen and tabs");
    }
}
