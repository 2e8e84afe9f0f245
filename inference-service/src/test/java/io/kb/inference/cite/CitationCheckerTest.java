package io.kb.inference.cite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.context.Source;
import io.kb.inference.generate.Refusals;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** {@link CitationChecker}: which markers survive, and when an answer is not grounded at all. */
class CitationCheckerTest {

    private static final List<Source> SOURCES = List.of(source(1), source(2), source(3));

    private final CitationChecker checker = new CitationChecker();

    private static Source source(int n) {
        return new Source(n, "doc-" + n, "Doc " + n, "chunk-" + n, "text " + n, null, 0, 6, 1.0);
    }

    @Test
    void keepsValidMarkersAndListsTheCitedSources() {
        CitedAnswer a = checker.check("Leave is 25 days [2]. It carries over [1].", SOURCES, Locale.ENGLISH);

        assertThat(a.text()).isEqualTo("Leave is 25 days [2]. It carries over [1].");
        assertThat(a.cited()).extracting(Source::number).containsExactly(2, 1);
        assertThat(a.dontKnow()).isFalse();
    }

    @Test
    void removesMarkersThatPointAtNoSource() {
        CitedAnswer a = checker.check("Leave is 25 days [1]. Parking is free [9].", SOURCES, Locale.ENGLISH);

        assertThat(a.text()).isEqualTo("Leave is 25 days [1]. Parking is free.");
        assertThat(a.cited()).extracting(Source::number).containsExactly(1);
    }

    @Test
    void keepsOnlyTheValidNumbersOfAList() {
        CitedAnswer a = checker.check("Leave is 25 days [1, 9].", SOURCES, Locale.ENGLISH);

        assertThat(a.text()).isEqualTo("Leave is 25 days [1].");
        assertThat(a.cited()).extracting(Source::number).containsExactly(1);
    }

    @Test
    void readsAdjacentMarkersAndListsEachSourceOnce() {
        CitedAnswer a = checker.check("Leave is 25 days [1][3]. Really [3, 1].", SOURCES, Locale.ENGLISH);

        assertThat(a.text()).isEqualTo("Leave is 25 days [1][3]. Really [3, 1].");
        assertThat(a.cited()).extracting(Source::number).containsExactly(1, 3);
    }

    @Test
    void replacesAnAnswerWithoutAnyValidMarkerByTheRefusal() {
        CitedAnswer a = checker.check("Parking is free [7]. Trust me.", SOURCES, Locale.ENGLISH);

        assertThat(a.dontKnow()).isTrue();
        assertThat(a.text()).isEqualTo(Refusals.of(Locale.ENGLISH));
        assertThat(a.cited()).isEmpty();
    }

    @Test
    void replacesAnUncitedChineseAnswerByTheChineseRefusal() {
        CitedAnswer a = checker.check("停车免费。", SOURCES, Locale.CHINESE);

        assertThat(a.dontKnow()).isTrue();
        assertThat(a.text()).isEqualTo(Refusals.of(Locale.CHINESE));
    }

    @Test
    void detectsARefusalEvenWhenTheModelCitedASource() {
        CitedAnswer a = checker.check("  I could not find the answer in the documents you have access to [1].",
                SOURCES, Locale.ENGLISH);

        assertThat(a.dontKnow()).isTrue();
        assertThat(a.cited()).isEmpty();
        assertThat(a.text()).isEqualTo(Refusals.of(Locale.ENGLISH));
    }

    @Test
    void detectsAChineseRefusal() {
        CitedAnswer a = checker.check(Refusals.of(Locale.CHINESE), SOURCES, Locale.CHINESE);

        assertThat(a.dontKnow()).isTrue();
    }
}
