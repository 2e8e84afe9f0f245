package io.kb.inference.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.retrieve.RetrievedChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TokenBudgetContextAssembler}: duplicates out, retrieval's order kept, the budget held. */
class TokenBudgetContextAssemblerTest {

    private final TokenBudgetContextAssembler assembler = new TokenBudgetContextAssembler();

    private static RetrievedChunk chunk(String id, String text) {
        return new RetrievedChunk("doc-" + id, "Doc " + id, id, text, List.of(), 3, 10, 10 + text.length(), 0.5);
    }

    @Test
    void numbersTheSourcesInRetrievalOrderAndKeepsWhereTheyCameFrom() {
        List<Source> sources = assembler.assemble(List.of(
                chunk("c1", "Every employee gets 25 days of paid leave per year."),
                chunk("c2", "Flights under six hours are booked in economy class.")), 1000);

        assertThat(sources).extracting(Source::number).containsExactly(1, 2);
        assertThat(sources).extracting(Source::chunkId).containsExactly("c1", "c2");
        Source first = sources.get(0);
        assertThat(first.documentId()).isEqualTo("doc-c1");
        assertThat(first.page()).isEqualTo(3);
        assertThat(first.text()).isEqualTo("Every employee gets 25 days of paid leave per year.");
    }

    @Test
    void dropsAChunkSeenBefore() {
        List<Source> sources = assembler.assemble(List.of(
                chunk("c1", "Every employee gets 25 days of paid leave per year."),
                chunk("c1", "Every employee gets 25 days of paid leave per year."),
                chunk("c2", "Flights under six hours are booked in economy class.")), 1000);

        assertThat(sources).extracting(Source::chunkId).containsExactly("c1", "c2");
        assertThat(sources).extracting(Source::number).containsExactly(1, 2);
    }

    @Test
    void dropsANearDuplicateOfAKeptChunk() {
        List<Source> sources = assembler.assemble(List.of(
                chunk("c1", "Every employee gets 25 days of paid leave per year, booked through the HR portal."),
                chunk("c2", "Every employee gets 25 days of paid leave each year, booked through the HR portal."),
                chunk("c3", "Flights under six hours are booked in economy class.")), 1000);

        assertThat(sources).extracting(Source::chunkId).containsExactly("c1", "c3");
    }

    @Test
    void keepsChunksThatOnlyShareSomeWords() {
        List<Source> sources = assembler.assemble(List.of(
                chunk("c1", "Every employee gets 25 days of paid leave per year."),
                chunk("c2", "Unused paid leave days carry over until the end of March.")), 1000);

        assertThat(sources).hasSize(2);
    }

    @Test
    void skipsBlankChunks() {
        List<Source> sources = assembler.assemble(List.of(chunk("c0", "  "),
                chunk("c1", "Every employee gets 25 days of paid leave per year.")), 1000);

        assertThat(sources).extracting(Source::chunkId).containsExactly("c1");
        assertThat(sources.get(0).number()).isEqualTo(1);
    }

    @Test
    void stopsAtTheTokenBudget() {
        String a = "Every employee gets 25 days of paid leave per year.";
        String b = "Flights under six hours are booked in economy class.";
        String c = "Hotels are booked through the travel desk at least a week ahead.";
        int budget = TokenEstimator.estimate(a) + TokenEstimator.estimate(b);

        List<Source> sources = assembler.assemble(List.of(chunk("c1", a), chunk("c2", b), chunk("c3", c),
                chunk("c4", "Short.")), budget);

        assertThat(sources).extracting(Source::chunkId).containsExactly("c1", "c2");
        assertThat(sources.stream().mapToInt(s -> TokenEstimator.estimate(s.text())).sum()).isLessThanOrEqualTo(budget);
    }

    @Test
    void cutsAFirstChunkLongerThanTheBudgetAtAWordBoundary() {
        String longText = "Every employee gets twenty five days of paid leave per year and may carry unused days "
                + "over until the end of March when they lapse without compensation of any kind at all.";

        List<Source> sources = assembler.assemble(List.of(chunk("c1", longText),
                chunk("c2", "Flights under six hours are booked in economy class.")), 10);

        assertThat(sources).hasSize(1);
        String cut = sources.get(0).text();
        assertThat(TokenEstimator.estimate(cut)).isLessThanOrEqualTo(10);
        assertThat(cut).isNotEmpty();
        assertThat(longText).startsWith(cut);
        assertThat(longText.charAt(cut.length())).isEqualTo(' ');
    }

    @Test
    void cutsAChineseFirstChunkToTheBudget() {
        String text = "员工每年享有十五天带薪年假，未休年假可以顺延到次年三月底，逾期作废。";

        List<Source> sources = assembler.assemble(List.of(chunk("c1", text)), 8);

        assertThat(TokenEstimator.estimate(sources.get(0).text())).isLessThanOrEqualTo(8).isGreaterThan(4);
        assertThat(text).startsWith(sources.get(0).text());
    }
}
