package io.kb.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguageGuessTest {

    @Test
    void guessesEnglishWhateverTheCaseOfItsLetters() {
        assertThat(LanguageGuess.of("The budget of the team is reviewed in March.")).isEqualTo("en");
        assertThat(LanguageGuess.of("THE BUDGET OF THE TEAM IS REVIEWED IN MARCH.")).isEqualTo("en");
    }

    @Test
    void guessesChineseWhenHanCharactersCarryTheText() {
        assertThat(LanguageGuess.of("差旅报销须在出差结束后三十天内提交，附上 VPN 和 SSO 的说明。")).isEqualTo("zh");
    }

    @Test
    void makesNoGuessForOtherLatinLanguagesDigitsOrPunctuation() {
        assertThat(LanguageGuess.of("Les congés d'été sont validés par le responsable à l'avance.")).isNull();
        assertThat(LanguageGuess.of("2026-12-07 18:00 [#42] {} @ | ~ ^ _")).isNull();
        assertThat(LanguageGuess.of("")).isNull();
    }

    @Test
    void countsAccentedLettersAsLatinSoThatTheyOutweighASingleHanCharacter() {
        // Twelve Latin letters, all beyond ASCII, and one Han character: 4 x 1 < 12, so no Chinese guess.
        assertThat(LanguageGuess.of("éèêëàâäîïôöü 字")).isNull();
        assertThat(LanguageGuess.of("éèê 字")).isEqualTo("zh");
    }
}
