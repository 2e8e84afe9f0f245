package io.kb.inference.cite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@link CitationStreamFilter}: markers checked while the answer streams, across token boundaries. */
class CitationStreamFilterTest {

    private final List<String> out = new ArrayList<>();
    private final AtomicReference<Set<Integer>> valid = new AtomicReference<>(Set.of(1, 2));
    private final CitationStreamFilter filter = new CitationStreamFilter(out::add, valid::get);

    private String streamed() {
        return String.join("", out);
    }

    @Test
    void passesPlainTextOnAsItComes() {
        filter.accept("Leave is");
        filter.accept(" 25 days.");

        assertThat(out).containsExactly("Leave is", " 25 days.");
    }

    @Test
    void holdsAMarkerSplitAcrossPiecesUntilItCloses() {
        filter.accept("Leave is 25 days [");
        assertThat(streamed()).isEqualTo("Leave is 25 days ");

        filter.accept("2");
        assertThat(streamed()).isEqualTo("Leave is 25 days ");

        filter.accept("].");
        assertThat(streamed()).isEqualTo("Leave is 25 days [2].");
    }

    @Test
    void dropsAMarkerThatPointsAtNoSourceMidStream() {
        filter.accept("Parking is free [");
        filter.accept("9");
        filter.accept("] and leave is 25 days [1].");
        filter.flush();

        assertThat(streamed()).doesNotContain("9").contains("and leave is 25 days [1].");
    }

    @Test
    void keepsOnlyTheValidNumbersOfAListedMarker() {
        filter.accept("Leave is 25 days [1, ");
        filter.accept("9].");

        assertThat(streamed()).isEqualTo("Leave is 25 days [1].");
    }

    @Test
    void passesABracketThatIsNotAMarker() {
        filter.accept("See [note");
        filter.accept("] and [] and a[b].");
        filter.flush();

        assertThat(streamed()).isEqualTo("See [note] and [] and a[b].");
    }

    @Test
    void stopsHoldingABracketThatDoesNotCloseSoon() {
        String text = "x [" + "1".repeat(20) + " y";

        filter.accept(text);

        assertThat(streamed()).isEqualTo(text);
    }

    @Test
    void flushPassesOnWhatIsStillHeld() {
        filter.accept("Leave is 25 days [1");
        assertThat(streamed()).isEqualTo("Leave is 25 days ");

        filter.flush();

        assertThat(streamed()).isEqualTo("Leave is 25 days [1");
        filter.flush();
        assertThat(streamed()).isEqualTo("Leave is 25 days [1");
    }

    @Test
    void asksForTheValidNumbersWhenTheMarkerCloses() {
        filter.accept("Leave is 25 days [3");
        valid.set(Set.of(3));
        filter.accept("].");

        assertThat(streamed()).isEqualTo("Leave is 25 days [3].");
    }
}
