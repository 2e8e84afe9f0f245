package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RecallTest {

    @Test
    void countsTheTrueNeighboursAmongTheFirstKHitsWhateverTheirOrder() {
        long[][] exact = {{1, 2, 3}, {4, 5, 6}};
        long[][] found = {{3, 2, 1, 9}, {4, 9, 8, 5}};

        // Query 1: 3 of 3. Query 2: only 4 within the first 3 hits (5 is 4th).
        assertThat(Recall.atK(exact, found, 3)).isCloseTo((1.0 + 1.0 / 3) / 2, within(1e-12));
    }

    @Test
    void usesOnlyTheFirstKOfTheTruth() {
        long[][] exact = {{1, 2, 3, 4}};
        long[][] found = {{1, 7}};

        assertThat(Recall.atK(exact, found, 2)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void aQueryWithFewerTrueNeighboursThanKIsMeasuredOnThoseItHas() {
        long[][] exact = {{5}, {}};
        long[][] found = {{5, 6}, {}};

        assertThat(Recall.atK(exact, found, 10)).isCloseTo(1.0, within(1e-12));
        assertThat(Recall.atK(new long[][] {{}}, new long[][] {{}}, 10)).isNaN();
    }

    @Test
    void refusesRowsThatDoNotMatch() {
        assertThatThrownBy(() -> Recall.atK(new long[1][], new long[2][], 10)).hasMessageContaining("one row per query");
    }
}
