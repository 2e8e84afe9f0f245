package io.kb.inference.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.generate.PromptMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AnswerKey}: the same question by the same access is the same key, anything else is not. */
class AnswerKeyTest {

    private static final List<String> DAVE = List.of("user:dave", "group:hr", "public");

    private static AnswerKey key(String question) {
        return AnswerKey.of(question, List.of(), "acme", DAVE, "v1");
    }

    @Test
    void ignoresCaseSpacingAndClosingPunctuation() {
        AnswerKey plain = key("How many days of leave do I get?");

        assertThat(key("  how many   DAYS of leave do i get ")).isEqualTo(plain);
        assertThat(key("How many days of leave do I get??")).isEqualTo(plain);
        assertThat(key("How many days of leave do I get？")).isEqualTo(plain);
        assertThat(key("How many days of leave do I get")).isEqualTo(plain);
    }

    @Test
    void normalisesFullWidthCharacters() {
        assertThat(key("Ｇ５ salary band")).isEqualTo(key("G5 salary band"));
    }

    @Test
    void distinguishesDifferentQuestions() {
        assertThat(key("How many days of leave do I get?")).isNotEqualTo(key("How many days of sick leave do I get?"));
    }

    @Test
    void distinguishesPrincipals() {
        AnswerKey dave = key("salary bands");

        assertThat(AnswerKey.of("salary bands", List.of(), "acme", List.of("user:dave", "public"), "v1"))
                .isNotEqualTo(dave);
        assertThat(AnswerKey.of("salary bands", List.of(), "acme", List.of("user:erin", "group:hr", "public"), "v1"))
                .isNotEqualTo(dave);
    }

    @Test
    void ignoresTheOrderOfPrincipals() {
        assertThat(AnswerKey.of("salary bands", List.of(), "acme", List.of("public", "group:hr", "user:dave"), "v1"))
                .isEqualTo(key("salary bands"));
    }

    @Test
    void distinguishesTenants() {
        assertThat(AnswerKey.of("salary bands", List.of(), "globex", DAVE, "v1")).isNotEqualTo(key("salary bands"));
    }

    @Test
    void distinguishesIndexVersions() {
        assertThat(AnswerKey.of("salary bands", List.of(), "acme", DAVE, "v2")).isNotEqualTo(key("salary bands"));
    }

    @Test
    void distinguishesConversations() {
        List<PromptMessage> berlin = List.of(PromptMessage.user("Travel rules for Berlin?"),
                PromptMessage.assistant("Economy class [1]."));
        List<PromptMessage> suzhou = List.of(PromptMessage.user("Travel rules for Suzhou?"),
                PromptMessage.assistant("Economy class [1]."));

        AnswerKey afterBerlin = AnswerKey.of("and hotels?", berlin, "acme", DAVE, "v1");

        assertThat(afterBerlin).isNotEqualTo(key("and hotels?"));
        assertThat(afterBerlin).isNotEqualTo(AnswerKey.of("and hotels?", suzhou, "acme", DAVE, "v1"));
        assertThat(afterBerlin).isEqualTo(AnswerKey.of("And hotels", berlin, "acme", DAVE, "v1"));
    }

    @Test
    void distinguishesTheRoleOfATurn() {
        assertThat(AnswerKey.of("and hotels?", List.of(PromptMessage.user("Berlin")), "acme", DAVE, "v1"))
                .isNotEqualTo(AnswerKey.of("and hotels?", List.of(PromptMessage.assistant("Berlin")), "acme", DAVE,
                        "v1"));
    }
}
