package io.kb.retrieval.fusion;

import java.util.Locale;

/**
 * How the search stage fuses the dense and BM25 rankings, as {@code kb.retrieval.search.fusion} names it
 * ({@code rrf}, {@code z-score}, {@code min-max}).
 */
public enum FusionMethod {

    /** {@link ReciprocalRankFusion}: ranks only, the scores' margins are dropped. */
    RRF,
    /** {@link ScoreFusion} with {@link ScoreFusion.Normalisation#Z_SCORE}: scores standardised per list. */
    Z_SCORE,
    /** {@link ScoreFusion} with {@link ScoreFusion.Normalisation#MIN_MAX}: scores stretched to [0, 1] per list. */
    MIN_MAX;

    /**
     * @param rrfK the constant of reciprocal rank fusion; unused by the other methods
     * @return the fuser this method names
     */
    public ResultFuser fuser(int rrfK) {
        return switch (this) {
            case RRF -> new ReciprocalRankFusion(rrfK);
            case Z_SCORE -> new ScoreFusion(ScoreFusion.Normalisation.Z_SCORE);
            case MIN_MAX -> new ScoreFusion(ScoreFusion.Normalisation.MIN_MAX);
        };
    }

    /**
     * The name as the setting and the evaluator's {@code --fusion} write it: {@code rrf}, {@code z-score},
     * {@code min-max}.
     */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text a name as {@link #settingName()} writes it, in any case, with {@code _} or {@code -}
     * @return the method it names
     * @throws IllegalArgumentException when it names none
     */
    public static FusionMethod fromSettingName(String text) {
        String wanted = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (FusionMethod method : values()) {
            if (method.name().equals(wanted)) {
                return method;
            }
        }
        throw new IllegalArgumentException("a fusion method is rrf, z-score or min-max, was '" + text + "'");
    }
}
