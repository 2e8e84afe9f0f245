package io.kb.ingest.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class HuggingFaceTokenCounterTest {

    @Test
    void countsWithTheEnglishModelsWordPieces() {
        try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel("bge-small-en-v1.5")) {
            assertThat(counter.count("hello world")).isEqualTo(2);
            assertThat(counter.count("")).isZero();
            // No truncation at the model's 512 tokens: long chunks are counted in full.
            assertThat(counter.count("hello ".repeat(1000))).isEqualTo(1000);
        }
    }

    @Test
    void countsChineseCharactersWithTheChineseModel() {
        try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel("bge-small-zh-v1.5")) {
            assertThat(counter.count("今天天气很好")).isEqualTo(6);
        }
    }

    @Test
    void countsAsManyTokensAsDjlsFullEncodingOnRealText() throws IOException {
        for (String model : List.of("bge-small-en-v1.5", "bge-small-zh-v1.5")) {
            try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel(model)) {
                int checked = 0;
                for (String text : RealText.all()) {
                    List<String> pieces = new ArrayList<>(List.of(text.split("\\n\\s*\\n")));
                    pieces.add(text);
                    pieces.add("  Leading and trailing spaces, tabs\tand a line\nend  ");
                    pieces.add("Control\u001Ccharacters and \u00ADsoft hyphens, emoji 🙂 and 中文混合 text.");
                    for (String piece : pieces) {
                        assertThat(counter.count(piece)).as("%s: %s", model, piece).isEqualTo(counter.countByEncoding(piece));
                        checked++;
                    }
                }
                assertThat(checked).as("texts checked").isGreaterThan(100);
            }
        }
    }

    /**
     * The condition under which the chunker adds counts: on real English and Chinese text (the sample knowledge
     * base and this repository's architecture note), every paragraph counts as many tokens as its pieces between
     * runs of spaces, tabs and line ends, and any split at such a run adds up.
     */
    @Test
    void bgeCountsAddUpAcrossSpacesOnRealText() throws IOException {
        for (String model : List.of("bge-small-en-v1.5", "bge-small-zh-v1.5")) {
            try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel(model)) {
                assertThat(counter.additiveAcrossSpaces()).as(model).isTrue();
                Random random = new Random(7);
                int checked = 0;
                for (String text : RealText.all()) {
                    for (String paragraph : text.split("\\n\\s*\\n")) {
                        String[] pieces = paragraph.strip().split(SPACES);
                        int sum = 0;
                        for (String piece : pieces) {
                            sum += counter.count(piece);
                        }
                        assertThat(counter.count(paragraph.strip())).as("%s: %s", model, paragraph).isEqualTo(sum);
                        checked++;
                    }
                    Matcher gap = Pattern.compile(SPACES).matcher(text);
                    List<int[]> gaps = new ArrayList<>();
                    while (gap.find()) {
                        gaps.add(new int[] {gap.start(), gap.end()});
                    }
                    for (int i = 0; i < 20 && !gaps.isEmpty(); i++) {
                        int[] cut = gaps.get(random.nextInt(gaps.size()));
                        String a = text.substring(0, cut[0]).strip();
                        String b = text.substring(cut[1]).strip();
                        assertThat(counter.count(a + text.substring(cut[0], cut[1]) + b))
                                .isEqualTo(counter.count(a) + counter.count(b));
                        checked++;
                    }
                }
                assertThat(checked).as("paragraphs and splits checked").isGreaterThan(300);
            }
        }
    }

    @Test
    void controlCharactersBetweenWordsAreNotSpacesToTheTokenizer() {
        try (HuggingFaceTokenCounter counter = HuggingFaceTokenCounter.forModel("bge-small-en-v1.5")) {
            // Java calls U+001C whitespace; BERT's normalizer deletes it and the two words become one.
            assertThat(Character.isWhitespace('\u001C')).isTrue();
            assertThat(counter.count("reimbursement\u001Cpolicy"))
                    .isNotEqualTo(counter.count("reimbursement") + counter.count("policy"));
            assertThat(counter.count("reimbursement \u00A0\t\r\npolicy"))
                    .isEqualTo(counter.count("reimbursement") + counter.count("policy"));
        }
    }

    @Test
    void onlyBertsNormalizerAndPreTokenizerAreTakenAsAdditive() {
        assertThat(HuggingFaceTokenCounter.splitsAtSpacesFirst("""
                {"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"""
                .getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(HuggingFaceTokenCounter.splitsAtSpacesFirst("""
                {"normalizer": null, "pre_tokenizer": {"type": "BertPreTokenizer"}}"""
                .getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(HuggingFaceTokenCounter.splitsAtSpacesFirst("""
                {"normalizer": {"type": "Precompiled"}, "pre_tokenizer": {"type": "Metaspace"}}"""
                .getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(HuggingFaceTokenCounter.splitsAtSpacesFirst("""
                {"normalizer": {"type": "NFC"}, "pre_tokenizer": {"type": "BertPreTokenizer"}}"""
                .getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    /** Runs of the characters that count as spaces for {@link TokenCounter#additiveAcrossSpaces}. */
    private static final String SPACES = "[ \\t\\n\\r\\p{Zs}]+";

    @Test
    void rejectsAnUnknownModel() {
        assertThatThrownBy(() -> HuggingFaceTokenCounter.forModel("no-such-model"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-model");
    }
}
