package io.kb.inference.generate.extractive;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.inference.context.Source;
import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.GeneratorContract;
import io.kb.inference.language.Languages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ExtractiveGenerator}: the port's contract, then which sentences answer and how they are cited. It needs no
 * backend, so the contract's backend tests are skipped for it.
 */
class ExtractiveGeneratorTest extends GeneratorContract {

    private final ExtractiveGenerator generator = new ExtractiveGenerator(ExtractiveGenerator.Settings.DEFAULTS);
    private final List<String> streamed = new ArrayList<>();

    @Override
    protected Generator generator() {
        return generator;
    }

    @Override
    protected Optional<Backend> backend() {
        return Optional.empty();
    }

    private Generation answer(String question, String... texts) {
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            sources.add(new Source(i + 1, "doc-" + (i + 1), "Doc " + (i + 1), "chunk-" + (i + 1), texts[i], null, 0,
                    texts[i].length(), 1.0 / (i + 1)));
        }
        Locale language = Languages.of(question);
        return generator.generate(new GenerationRequest(question, language, sources, List.of(), 512,
                Instant.now().plus(Duration.ofSeconds(10))), streamed::add);
    }

    @Test
    void picksTheSentenceThatAnswersAndCitesItsSource() {
        Generation g = answer("How many days of paid leave does an employee get?",
                "Flights under six hours are booked in economy class. Hotels are booked through the travel desk.",
                "Every employee gets 25 days of paid leave per year. The office is closed on public holidays.");

        assertThat(g.text()).startsWith("Every employee gets 25 days of paid leave per year [2].");
        assertThat(g.text()).doesNotContain("economy", "[1]");
    }

    @Test
    void putsTheMarkerBeforeTheFinalFullStop() {
        Generation g = answer("How many days of paid leave does an employee get?",
                "Every employee gets 25 days of paid leave per year.");

        assertThat(g.text()).isEqualTo("Every employee gets 25 days of paid leave per year [1].");
    }

    @Test
    void answersAChineseQuestionInChineseFromChineseSources() {
        Generation g = answer("员工每年有多少天带薪年假？",
                "Employees may work from home two days a week.",
                "员工每年享有十五天带薪年假。年假需要提前一周申请。");

        assertThat(g.text()).contains("十五天带薪年假[2]。");
        assertThat(Languages.of(g.text())).isEqualTo(Languages.CHINESE);
        assertThat(g.text()).doesNotContain("home");
    }

    @Test
    void answersEachPartOfATwoPartQuestionFromItsOwnSentence() {
        Generation g = answer("How many days of paid leave do employees get, and how long is the laptop warranty?",
                "Every employee gets 25 days of paid leave per year. Leave requests go to the line manager.",
                "The warranty on company laptops lasts two years. Broken laptops go to the IT desk.");

        assertThat(g.text()).contains("25 days of paid leave per year [1].")
                .contains("The warranty on company laptops lasts two years [2].");
    }

    @Test
    void quotesATableRowWithItsColumnHeaders() {
        Generation g = answer("How long is paternity leave?",
                """
                Leave types
                | Type of leave | Length |
                |---|---|
                | Paternity | 4 weeks |
                | Sabbatical | 3 months |
                """);

        assertThat(g.text()).startsWith("Type of leave: Paternity; Length: 4 weeks [1].");
        assertThat(g.text()).doesNotContain("|", "Sabbatical");
    }

    @Test
    void neverQuotesADocumentsMetadataLine() {
        Generation g = answer("How many days of paid leave do employees get?",
                """
                Leave policy
                Owner: HR · Applies to: all employees · Paid leave days · Version 3
                Every employee gets 25 days of paid leave per year.
                """);

        assertThat(g.text()).doesNotContain("·", "Owner");
        assertThat(g.text()).startsWith("Every employee gets 25 days of paid leave per year [1].");
    }

    @Test
    void findsAnFaqAnswerWithoutQuotingItsQuestion() {
        Generation g = answer("What is the operating temperature range?",
                """
                Frequently asked questions
                What is the operating temperature range?
                -40 °C to +85 °C for all industrial models.
                How heavy is the unit?
                The unit weighs 1.2 kg without its stand.
                """);

        assertThat(g.text()).startsWith("-40 °C to +85 °C for all industrial models [1].");
        assertThat(g.text()).doesNotContain("What is the operating temperature range", "1.2 kg");
    }
}
