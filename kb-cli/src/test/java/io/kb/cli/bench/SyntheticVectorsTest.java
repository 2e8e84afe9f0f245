package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class SyntheticVectorsTest {

    private final SyntheticVectors vectors = new SyntheticVectors(7, 64);

    @Test
    void theSameSeedAndIndexGiveTheSameVectorInAnyOrder() {
        SyntheticVectors again = new SyntheticVectors(7, 64);
        float[] late = again.vector(999);
        float[] early = again.vector(3);

        assertThat(vectors.vector(3)).containsExactly(early);
        assertThat(vectors.vector(999)).containsExactly(late);
        assertThat(vectors.vector(3, new float[64])).containsExactly(early);
        assertThat(vectors.topic(3)).isEqualTo(again.topic(3));
    }

    @Test
    void anotherSeedOrIndexGivesAnotherVector() {
        assertThat(vectors.vector(4)).isNotEqualTo(vectors.vector(3));
        assertThat(new SyntheticVectors(8, 64).vector(3)).isNotEqualTo(vectors.vector(3));
    }

    @Test
    void vectorsAreUnitLengthAndOfTheDimension() {
        for (long i = 0; i < 200; i++) {
            float[] v = vectors.vector(i);
            assertThat(v).hasSize(64);
            assertThat(VectorUtil.dotProduct(v, v)).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void vectorsOfOneTopicAreCloserThanVectorsOfDifferentTopics() {
        double same = 0;
        double different = 0;
        int sameCount = 0;
        int differentCount = 0;
        for (long i = 0; i < 3000; i++) {
            for (long j = i + 1; j < Math.min(3000, i + 40); j++) {
                float cosine = VectorUtil.dotProduct(vectors.vector(i), vectors.vector(j));
                if (vectors.topic(i) == vectors.topic(j)) {
                    same += cosine;
                    sameCount++;
                } else {
                    different += cosine;
                    differentCount++;
                }
            }
        }
        // 3000 x 39 pairs over 1024 topics: about a hundred share a topic.
        assertThat(sameCount).isGreaterThan(20);
        assertThat(same / sameCount).isGreaterThan(0.4);
        assertThat(Math.abs(different / differentCount)).isLessThan(0.1);
    }

    @Test
    void refusesADimensionBelowTwo() {
        assertThatThrownBy(() -> new SyntheticVectors(1, 1)).hasMessageContaining("dimension");
    }
}
