package io.kb.inference.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Evidence}: the weighted share of a question's words that a text contains. */
class EvidenceTest {

    @Test
    void aTextWithAllTheQuestionsWordsCoversItFully() {
        Evidence e = new Evidence("How many days of paid leave do employees get?",
                List.of("Employees get 25 days of paid leave.", "Flights are booked in economy."));

        assertThat(e.coverage("An employee gets 25 paid leave days.")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aTextWithNoneOfTheQuestionsWordsCoversNothing() {
        Evidence e = new Evidence("paid leave days", List.of("Employees get 25 days of paid leave."));

        assertThat(e.coverage("Flights are booked in economy.")).isZero();
    }

    @Test
    void ignoresTheWordsThatOnlyShapeAQuestion() {
        Evidence e = new Evidence("How many days of leave can I get?", List.of("25 days of leave."));

        assertThat(e.questionTerms()).containsExactlyElementsOf(Terms.of("days leave"));
    }

    @Test
    void aQuestionWithoutContentWordsIsCoveredByNothing() {
        Evidence e = new Evidence("What is it?", List.of("It is what it is."));

        assertThat(e.coverage("It is what it is.")).isZero();
    }

    @Test
    void aRareWordWeighsMoreThanOneEveryCandidateHas() {
        Evidence e = new Evidence("acme sales 2019", List.of("acme sales rose in 2021", "acme sales fell in 2022",
                "acme hired staff"));

        assertThat(e.coverage("2019")).isGreaterThan(e.coverage("acme"));
        assertThat(e.coverage("acme sales")).isLessThan(0.5);
    }

    @Test
    void chineseBigramsAcrossAWordBoundaryNeitherHelpNorHurt() {
        Evidence e = new Evidence("未休的年假", List.of("员工的未休年假可以顺延", "出差需要审批"));

        assertThat(e.coverage("员工的未休年假可以顺延")).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aMissingChineseWordStillCounts() {
        Evidence e = new Evidence("年假工资", List.of("员工的未休年假可以顺延", "出差需要审批"));

        assertThat(e.coverage("员工的未休年假可以顺延")).isLessThan(0.5);
    }
}
