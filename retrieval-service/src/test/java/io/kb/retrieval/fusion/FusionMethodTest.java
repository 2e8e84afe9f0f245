package io.kb.retrieval.fusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FusionMethodTest {

    @Test
    void eachMethodBuildsItsFuser() {
        assertThat(FusionMethod.RRF.fuser(20)).isInstanceOfSatisfying(ReciprocalRankFusion.class,
                rrf -> assertThat(rrf.k()).isEqualTo(20));
        assertThat(FusionMethod.Z_SCORE.fuser(20)).isInstanceOfSatisfying(ScoreFusion.class,
                f -> assertThat(f.normalisation()).isEqualTo(ScoreFusion.Normalisation.Z_SCORE));
        assertThat(FusionMethod.MIN_MAX.fuser(20)).isInstanceOfSatisfying(ScoreFusion.class,
                f -> assertThat(f.normalisation()).isEqualTo(ScoreFusion.Normalisation.MIN_MAX));
    }

    @Test
    void namesAreWrittenAsTheSettingWritesThem() {
        assertThat(FusionMethod.Z_SCORE.settingName()).isEqualTo("z-score");
        assertThat(FusionMethod.MIN_MAX.settingName()).isEqualTo("min-max");
        assertThat(FusionMethod.RRF.settingName()).isEqualTo("rrf");
        for (FusionMethod method : FusionMethod.values()) {
            assertThat(FusionMethod.fromSettingName(method.settingName())).isEqualTo(method);
        }
        assertThat(FusionMethod.fromSettingName(" Z_SCORE ")).isEqualTo(FusionMethod.Z_SCORE);
    }

    @Test
    void anUnknownNameIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> FusionMethod.fromSettingName("borda"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rrf, z-score or min-max").hasMessageContaining("'borda'");
    }
}
