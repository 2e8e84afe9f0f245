package io.kb.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kb.ingest.parse.Block;
import io.kb.ingest.parse.BlockKind;
import io.kb.ingest.parse.ParseHints;
import io.kb.ingest.parse.ParseProperties;
import io.kb.ingest.parse.ParsedDocument;
import io.kb.ingest.parse.TikaDocumentParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenBudgetChunkerTest {

    private static HuggingFaceTokenCounter english;
    private static HuggingFaceTokenCounter chinese;

    @BeforeAll
    static void loadTokenizers() {
        english = HuggingFaceTokenCounter.forModel("bge-small-en-v1.5");
        chinese = HuggingFaceTokenCounter.forModel("bge-small-zh-v1.5");
    }

    @AfterAll
    static void closeTokenizers() {
        english.close();
        chinese.close();
    }

    private static TokenBudgetChunker chunker(int maxTokens, int overlapTokens) {
        return new TokenBudgetChunker(new ChunkProperties(maxTokens, overlapTokens, "bge-small-en-v1.5", null),
                Map.of("bge-small-en-v1.5", english, "bge-small-zh-v1.5", chinese)::get);
    }

    /** Builds a document the way the parser does: blocks joined by blank lines, with heading paths. */
    private static ParsedDocument document(String language, Object... kindsAndTexts) {
        StringBuilder text = new StringBuilder();
        List<Block> blocks = new ArrayList<>();
        List<String> path = new ArrayList<>();
        for (int i = 0; i < kindsAndTexts.length; i += 3) {
            BlockKind kind = (BlockKind) kindsAndTexts[i];
            String blockText = (String) kindsAndTexts[i + 1];
            Integer page = (Integer) kindsAndTexts[i + 2];
            if (kind == BlockKind.HEADING) {
                path = List.of(blockText);
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            int start = text.length();
            text.append(blockText);
            blocks.add(new Block(kind, kind == BlockKind.HEADING ? 1 : 0, blockText, page, path, start, text.length()));
        }
        return new ParsedDocument(null, "text/plain", language, text.toString(), blocks, 0, Map.of());
    }

    private static String sentences(String template, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            out.append(i > 1 ? " " : "").append(template.formatted(i));
        }
        return out.toString();
    }

    private static void assertInvariants(ParsedDocument document, List<TextChunk> chunks, int maxTokens,
            TokenCounter counter) {
        assertThat(chunks).isNotEmpty();
        for (TextChunk chunk : chunks) {
            assertThat(document.text().substring(chunk.startOffset(), chunk.endOffset())).isEqualTo(chunk.text());
            assertThat(chunk.tokenCount()).isEqualTo(counter.count(chunk.text())).isLessThanOrEqualTo(maxTokens);
        }
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).endOffset()).isGreaterThan(chunks.get(i - 1).endOffset());
        }
    }

    /**
     * Adding the counts of the pieces of a growing chunk (what the chunker does with the bge tokenizers) gives
     * exactly the chunks, offsets and counts of counting every candidate chunk whole, on real documents parsed as
     * ingest-service parses them, at several budgets.
     */
    @Test
    void addingCountsAcrossSpacesGivesTheChunksOfCountingWholeTexts() throws IOException {
        TikaDocumentParser parser = new TikaDocumentParser(ParseProperties.defaults());
        // The same tokenizers without the capability: every candidate chunk is counted whole.
        TokenCounter englishWhole = english::count;
        TokenCounter chineseWhole = chinese::count;
        assertThat(english.additiveAcrossSpaces()).isTrue();
        assertThat(englishWhole.additiveAcrossSpaces()).isFalse();
        int compared = 0;
        for (Path file : RealText.files()) {
            ParsedDocument document;
            try (InputStream in = Files.newInputStream(file)) {
                document = parser.parse(in, new ParseHints("text/markdown", file.getFileName().toString()));
            }
            for (int[] budget : new int[][] {{16, 0}, {32, 8}, {64, 16}, {128, 40}, {400, 40}}) {
                ChunkProperties properties = new ChunkProperties(budget[0], budget[1], "bge-small-en-v1.5", null);
                List<TextChunk> added = new TokenBudgetChunker(properties,
                        Map.of("bge-small-en-v1.5", english, "bge-small-zh-v1.5", chinese)::get).chunk(document);
                List<TextChunk> whole = new TokenBudgetChunker(properties,
                        Map.of("bge-small-en-v1.5", englishWhole, "bge-small-zh-v1.5", chineseWhole)::get)
                        .chunk(document);
                assertThat(added).as("%s at %d/%d tokens", file, budget[0], budget[1]).isEqualTo(whole);
                compared += added.size();
            }
        }
        assertThat(compared).as("chunks compared").isGreaterThan(500);
    }

    @Test
    void respectsTheBudgetAndSplitsLongParagraphsAtSentences() {
        String paragraph = sentences("Sentence number %d explains one rule of the expense policy in plain words.", 40);
        ParsedDocument document = document("en", BlockKind.HEADING, "Expenses", null, BlockKind.PARAGRAPH, paragraph, null);

        List<TextChunk> chunks = chunker(100, 0).chunk(document);

        assertInvariants(document, chunks, 100, english);
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks.getFirst().text()).startsWith("Expenses\n\nSentence number 1 ");
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.headingPath()).containsExactly("Expenses");
            assertThat(chunk.text()).endsWith("words.");
        });
    }

    @Test
    void neverCrossesAHeadingAndCarriesPathsAndPages() {
        ParsedDocument document = document("en",
                BlockKind.HEADING, "Travel", 1,
                BlockKind.PARAGRAPH, "Book flights early.", 1,
                BlockKind.HEADING, "Hotels", 2,
                BlockKind.PARAGRAPH, "Use the portal.", 2,
                BlockKind.PARAGRAPH, "Keep receipts.", 3);

        List<TextChunk> chunks = chunker(400, 40).chunk(document);

        assertInvariants(document, chunks, 400, english);
        assertThat(chunks).extracting(TextChunk::text)
                .containsExactly("Travel\n\nBook flights early.", "Hotels\n\nUse the portal.\n\nKeep receipts.");
        assertThat(chunks).extracting(TextChunk::headingPath).containsExactly(List.of("Travel"), List.of("Hotels"));
        assertThat(chunks).extracting(TextChunk::page).containsExactly(1, 2);
    }

    @Test
    void keepsTableRowsAndListItemsWhole() {
        String table = sentences("row %d | London office | 250 GBP per night | approved by finance", 30).replace(" row", "\nrow");
        ParsedDocument document = document("en", BlockKind.TABLE, table, null,
                BlockKind.LIST_ITEM, "Bring your badge to every meeting with visitors.", null);

        List<TextChunk> chunks = chunker(60, 0).chunk(document);

        assertInvariants(document, chunks, 60, english);
        assertThat(chunks).hasSizeGreaterThan(2);
        for (TextChunk chunk : chunks) {
            assertThat(chunk.text()).satisfiesAnyOf(
                    text -> assertThat(text).startsWith("row").endsWith("finance"),
                    text -> assertThat(text).endsWith("visitors."));
        }
        assertThat(chunks.getLast().text()).endsWith("Bring your badge to every meeting with visitors.");
    }

    @Test
    void overlapsWithThePreviousChunksLastSentence() {
        String paragraph = sentences("Clause %d of the contract applies to every supplier we work with.", 20);
        ParsedDocument document = document("en", BlockKind.PARAGRAPH, paragraph, null);

        List<TextChunk> chunks = chunker(80, 30).chunk(document);

        assertInvariants(document, chunks, 80, english);
        for (int i = 1; i < chunks.size(); i++) {
            TextChunk previous = chunks.get(i - 1);
            TextChunk current = chunks.get(i);
            String lastSentence = previous.text().substring(previous.text().lastIndexOf("Clause"));
            assertThat(current.text()).startsWith(lastSentence);
            assertThat(current.startOffset()).isLessThan(previous.endOffset());
        }
    }

    @Test
    void splitsChineseAtSentenceEndsAndCountsWithTheChineseTokenizer() {
        String paragraph = sentences("第%d条规定所有员工必须在每个季度结束前提交报销单据并附上发票。", 30);
        ParsedDocument document = document("zh", BlockKind.PARAGRAPH, paragraph, null);

        List<TextChunk> chunks = chunker(100, 0).chunk(document);

        assertInvariants(document, chunks, 100, chinese);
        assertThat(chunks).hasSizeGreaterThan(5).allSatisfy(chunk -> assertThat(chunk.text()).endsWith("。"));
    }

    @Test
    void cutsASentenceLongerThanTheBudgetAtWords() {
        String longSentence = "word ".repeat(300).strip();
        ParsedDocument document = document("en", BlockKind.PARAGRAPH, longSentence, null);

        List<TextChunk> chunks = chunker(50, 10).chunk(document);

        assertInvariants(document, chunks, 50, english);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).matches("word( word)*"));
    }

    /**
     * Asserts that the chunks cover {@code text} from its first to its last character in order, each one
     * after the first starting inside the previous one with an overlap of 1 to {@code overlapTokens} tokens.
     */
    private static void assertCoveredWithOverlap(String text, List<TextChunk> chunks, int overlapTokens,
            TokenCounter counter) {
        assertThat(chunks.getFirst().startOffset()).isZero();
        assertThat(chunks.getLast().endOffset()).isEqualTo(text.length());
        for (int i = 1; i < chunks.size(); i++) {
            TextChunk previous = chunks.get(i - 1);
            TextChunk current = chunks.get(i);
            assertThat(current.startOffset()).as("chunk %d starts inside chunk %d", i, i - 1)
                    .isGreaterThan(previous.startOffset()).isLessThan(previous.endOffset());
            String overlap = text.substring(current.startOffset(), previous.endOffset());
            assertThat(counter.count(overlap)).as("overlap of chunk %d: %s", i, overlap)
                    .isBetween(1, overlapTokens);
        }
    }

    @Test
    void cutsALongRunOnEnglishTextWithinTheBudgetWithOverlap() {
        // A hostile upload: one "sentence" of 40,000 characters without any punctuation.
        StringBuilder words = new StringBuilder();
        for (int i = 0; words.length() < 40_000; i++) {
            String word = List.of("budget", "claim", "receipt", "travel", "approval").get(i % 5);
            words.append(i > 0 ? " " : "").append(word).append(i % 7);
        }
        String text = words.toString();
        ParsedDocument document = document("en", BlockKind.PARAGRAPH, text, null);

        List<TextChunk> chunks = chunker(400, 40).chunk(document);

        assertInvariants(document, chunks, 400, english);
        assertCoveredWithOverlap(text, chunks, 40, english);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.text()).matches("\\p{Alpha}+\\d( \\p{Alpha}+\\d)*"));
    }

    @Test
    void cutsALongRunOfChineseWithoutSentenceEndsWithinTheBudgetWithOverlap() {
        String text = "员工出差前须在系统中提交申请经部门负责人批准后方可预订机票和酒店".repeat(1_000);
        ParsedDocument document = document("zh", BlockKind.PARAGRAPH, text, null);

        List<TextChunk> chunks = chunker(400, 40).chunk(document);

        assertInvariants(document, chunks, 400, chinese);
        assertCoveredWithOverlap(text, chunks, 40, chinese);
        assertThat(chunks).hasSizeGreaterThan(text.length() / 400);
    }

    @Test
    void cutsARunOfPunctuationWithoutWordsWithinTheBudget() {
        // No word boundaries at all: every dash is a token, so pieces are cut between characters.
        String text = "-".repeat(5_000);
        ParsedDocument document = document("en", BlockKind.PARAGRAPH, text, null);

        List<TextChunk> chunks = chunker(400, 40).chunk(document);

        assertInvariants(document, chunks, 400, english);
        assertThat(chunks.getFirst().startOffset()).isZero();
        assertThat(chunks.getLast().endOffset()).isEqualTo(text.length());
        for (int i = 1; i < chunks.size(); i++) {
            assertThat(chunks.get(i).startOffset()).isLessThanOrEqualTo(chunks.get(i - 1).endOffset());
        }
    }

    @Test
    void isDeterministic() {
        String paragraph = sentences("Policy %d is reviewed every year by the board of directors.", 50);
        ParsedDocument document = document("en", BlockKind.HEADING, "Policies", null, BlockKind.PARAGRAPH, paragraph, null);

        assertThat(chunker(90, 20).chunk(document)).isEqualTo(chunker(90, 20).chunk(document));
    }
}
