package io.kb.inference.generate.extractive;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.context.Terms;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SentenceSplitter}: what of a chunk becomes a quotable sentence, and what only context. */
class SentenceSplitterTest {

    private static List<String> texts(String chunk) {
        return SentenceSplitter.split(chunk, 1).stream().map(Sentence::text).toList();
    }

    @Test
    void splitsAParagraphAtSentenceEnds() {
        assertThat(texts("Every employee gets 25 days of leave. Unused days carry over to March. "
                + "Requests go to the manager."))
                .containsExactly("Every employee gets 25 days of leave.", "Unused days carry over to March.",
                        "Requests go to the manager.");
    }

    @Test
    void doesNotSplitAtADecimalPointOrAnAbbreviationBeforeLowerCase() {
        assertThat(texts("The unit weighs 1.2 kg and ships e.g. with a stand."))
                .containsExactly("The unit weighs 1.2 kg and ships e.g. with a stand.");
    }

    @Test
    void splitsChineseAtItsPunctuation() {
        assertThat(texts("员工每年享有十五天带薪年假。年假需要提前一周申请；病假需要医生证明。"))
                .containsExactly("员工每年享有十五天带薪年假。", "年假需要提前一周申请；", "病假需要医生证明。");
    }

    @Test
    void marksChineseSentencesAndKeepsTheirSourceNumberAndPosition() {
        List<Sentence> sentences = SentenceSplitter.split("Leave is 25 days a year.\n员工每年享有十五天带薪年假。", 3);

        assertThat(sentences).extracting(Sentence::chinese).containsExactly(false, true);
        assertThat(sentences).extracting(Sentence::source).containsOnly(3);
        assertThat(sentences).extracting(Sentence::position).containsExactly(0, 1);
    }

    @Test
    void takesListItemsOneByOneWithoutTheirMarkers() {
        assertThat(texts("""
                Employees may work remotely:
                - up to two days a week
                * from any EU country
                3) with the manager's consent
                4. Requests go through the HR portal.
                """)).containsExactly("up to two days a week", "from any EU country", "with the manager's consent",
                "Requests go through the HR portal.");
    }

    @Test
    void keepsHeadingsAsContextNotAsSentences() {
        List<Sentence> sentences = SentenceSplitter.split("""
                # Remote work
                Employees may work from home two days a week.
                5. Carry-over
                Unused leave days expire at the end of March.
                """, 1);

        assertThat(sentences).extracting(Sentence::text).containsExactly(
                "Employees may work from home two days a week.", "Unused leave days expire at the end of March.");
        assertThat(sentences.get(0).contextTerms()).containsAll(Terms.of("remote"));
        assertThat(sentences.get(1).contextTerms()).containsAll(Terms.of("carry"))
                .doesNotContainAnyElementsOf(Terms.of("remote"));
    }

    @Test
    void treatsTheFirstShortLineWithoutPunctuationAsTheTitle() {
        assertThat(texts("Travel policy for consultants\nFlights under six hours are booked in economy."))
                .containsExactly("Flights under six hours are booked in economy.");
    }

    @Test
    void rendersTableRowsWithTheirColumnHeaders() {
        List<Sentence> sentences = SentenceSplitter.split("""
                Leave types
                | Type of leave | Length |
                |---|---|
                | Paternity | 4 weeks |
                | Sabbatical | 3 months |
                """, 1);

        assertThat(sentences).extracting(Sentence::text).containsExactly(
                "Type of leave: Paternity; Length: 4 weeks", "Type of leave: Sabbatical; Length: 3 months");
        assertThat(sentences.get(0).contextTerms()).containsAll(Terms.of("leave types length"));
    }

    @Test
    void rendersParserTableRowsWithoutOuterBars() {
        assertThat(texts("""
                Model | Weight
                X100 | 1.2 kg
                """)).containsExactly("Model: X100; Weight: 1.2 kg");
    }

    @Test
    void skipsMetadataLinesWithMiddleDots() {
        assertThat(texts("""
                Leave policy
                Owner: HR · Applies to: all employees · Version 3
                Every employee gets 25 days of paid leave.
                """)).containsExactly("Every employee gets 25 days of paid leave.");
    }

    @Test
    void makesAnFaqQuestionTheContextOfItsAnswer() {
        List<Sentence> sentences = SentenceSplitter.split("""
                FAQ
                What is the operating temperature range?
                -40 °C to +85 °C for all industrial models.
                """, 1);

        assertThat(sentences).extracting(Sentence::text).containsExactly("-40 °C to +85 °C for all industrial models.");
        assertThat(sentences.get(0).contextTerms()).containsAll(Terms.of("operating temperature range"));
    }

    @Test
    void makesAQuestionInsideAParagraphTheContextOfWhatFollows() {
        List<Sentence> sentences = SentenceSplitter.split(
                "Leave rules apply to everyone. Can leave be carried over? Up to five days carry over to March.", 1);

        assertThat(sentences).extracting(Sentence::text)
                .containsExactly("Leave rules apply to everyone.", "Up to five days carry over to March.");
        assertThat(sentences.get(1).contextTerms()).containsAll(Terms.of("carried"));
    }

    @Test
    void dropsFragmentsTooShortToSayAnything() {
        assertThat(texts("Leave rules apply to all staff. See HR. Yes.")).containsExactly("Leave rules apply to all staff.");
    }

    @Test
    void removesMarkdownButKeepsLinkTargets() {
        assertThat(texts("Requests go **only** through `HR-Portal`, see [the portal](https://hr.example/leave)."))
                .containsExactly("Requests go only through HR-Portal, see the portal (https://hr.example/leave).");
    }
}
