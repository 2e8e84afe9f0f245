package io.kb.inference.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kb.inference.context.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the {@link Generator} port promises, passed by every adapter: the test of each adapter extends this class and
 * supplies the adapter and, for a model-backed one, its scripted backend. The requests are rendered with the real
 * {@link Prompts}, as the pipeline renders them.
 *
 * <ul>
 *   <li>the pieces handed to the sink are never empty, arrive in order, and add up to the returned text;</li>
 *   <li>token counts are positive (reported or estimated), and the finish reason is given;</li>
 *   <li>a sink that throws {@link GenerationCancelledException} stops the generation at once, the same exception
 *       comes out, and a backend sees its call cancelled;</li>
 *   <li>when the sources do not answer, the answer is the refusal sentence of the question's language: the
 *       extractive adapter decides so itself, a model-backed one passes the sentence on to the model in its prompt
 *       and the model's refusal back unchanged;</li>
 *   <li>a backend that is down fails the generation as {@code UNAVAILABLE} before any text, and makes an adapter with
 *       {@link GeneratorReadiness} not ready;</li>
 *   <li>its {@code toString()}, which logs show, names the adapter.</li>
 * </ul>
 */
@Timeout(30)
public abstract class GeneratorContract {

    /** The adapter's server, as the contract drives it. */
    public interface Backend {

        /** The next generation is answered with these pieces, with {@code between} before each but the first. */
        void answers(List<String> pieces, Duration between);

        /** The whole prompt the last generation sent, as the server received it. */
        String lastPrompt();

        /** Waits until the server saw its call cancelled or its connection dropped by the client. */
        boolean awaitCancelled(Duration timeout) throws InterruptedException;

        /** Stops the server; nothing answers after it. */
        void stop() throws Exception;
    }

    private static final String TWO_PART_QUESTION =
            "How many days of paid leave do employees get, and how long is the laptop warranty?";
    private static final List<Source> LEAVE_AND_WARRANTY = List.of(
            source(1, "Every employee gets 25 days of paid leave per year. Leave requests go to the line manager."),
            source(2, "The warranty on company laptops lasts two years. Broken laptops go to the IT desk."));
    private static final List<String> MODEL_ANSWER = List.of("Every employee gets 25 days of paid leave per year [1].",
            " The warranty on company laptops lasts two years [2].");

    private final List<String> pieces = new CopyOnWriteArrayList<>();

    /** The adapter under test; the same instance for the whole of one test. */
    protected abstract Generator generator();

    /** The adapter's backend, or empty for an adapter that needs none. */
    protected abstract Optional<Backend> backend();

    @Test
    void streamsNonEmptyPiecesInOrderThatAddUpToTheReturnedText() {
        backend().ifPresent(b -> b.answers(MODEL_ANSWER, Duration.ofMillis(5)));

        Generation generation = generator().generate(answerable(), pieces::add);

        assertThat(pieces).hasSizeGreaterThanOrEqualTo(2).doesNotContain("");
        assertThat(String.join("", pieces)).isEqualTo(generation.text());
        assertThat(generation.text()).contains("[1]", "[2]");
        if (backend().isPresent()) {
            assertThat(pieces).as("the model's pieces, unchanged and in order").isEqualTo(MODEL_ANSWER);
        }
    }

    @Test
    void countsTokensAndSaysWhyItStopped() {
        backend().ifPresent(b -> b.answers(MODEL_ANSWER, Duration.ZERO));

        Generation generation = generator().generate(answerable(), pieces::add);

        assertThat(generation.promptTokens()).isPositive();
        assertThat(generation.completionTokens()).isPositive();
        assertThat(generation.finishReason()).isNotBlank();
    }

    @Test
    void stopsAndRethrowsWhenTheSinkCancels() throws InterruptedException {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            many.add("word" + i + " ");
        }
        backend().ifPresent(b -> b.answers(many, Duration.ofMillis(10)));
        GenerationCancelledException gone = new GenerationCancelledException("the reader went away");
        TokenSink leaving = text -> {
            pieces.add(text);
            throw gone;
        };

        Throwable thrown = catchThrowable(() -> generator().generate(answerable(), leaving));

        assertThat(thrown).isSameAs(gone);
        assertThat(pieces).hasSize(1);
        if (backend().isPresent()) {
            assertThat(backend().get().awaitCancelled(Duration.ofSeconds(5)))
                    .as("the backend sees the call cancelled").isTrue();
        }
    }

    @Test
    void refusesInEnglishWhenTheSourcesDoNotAnswer() {
        refuses(Locale.ENGLISH, "What does parking cost at the Berlin office?", List.of(
                source(1, "Every employee gets 25 days of paid leave per year."),
                source(2, "Flights under six hours are booked in economy class.")));
    }

    @Test
    void refusesInChineseWhenTheSourcesDoNotAnswer() {
        refuses(Locale.CHINESE, "柏林办公室的停车费是多少？", List.of(source(1, "员工每年享有十五天带薪年假。")));
    }

    @Test
    void failsUnavailableBeforeAnyTextWhenItsBackendIsDown() throws Exception {
        Assumptions.assumeTrue(backend().isPresent(), generator().getClass().getSimpleName()
                + " runs in-process: there is no backend to lose");
        backend().get().stop();

        GenerationException e = catchThrowableOfType(GenerationException.class,
                () -> generator().generate(answerable(), pieces::add));

        assertThat(e).as("the generation fails").isNotNull();
        assertThat(e.kind()).isEqualTo(GenerationException.Kind.UNAVAILABLE);
        assertThat(e.textSent()).isFalse();
        assertThat(pieces).isEmpty();
    }

    @Test
    void isReadyOnlyWhileItsBackendIs() throws Exception {
        Assumptions.assumeTrue(generator() instanceof GeneratorReadiness, generator().getClass().getSimpleName()
                + " has no readiness to report: it needs no backend");
        GeneratorReadiness readiness = (GeneratorReadiness) generator();
        assertThat(readiness.ready()).isTrue();

        backend().orElseThrow().stop();

        assertThat(readiness.ready()).isFalse();
    }

    @Test
    void namesTheAdapterInItsDescription() {
        assertThat(generator().toString()).startsWith(generator().getClass().getSimpleName() + "[");
    }

    private void refuses(Locale language, String question, List<Source> sources) {
        String refusal = Refusals.of(language);
        int half = refusal.length() / 2;
        backend().ifPresent(b -> b.answers(List.of(refusal.substring(0, half), refusal.substring(half)),
                Duration.ZERO));

        Generation generation = generator().generate(request(question, language, sources), pieces::add);

        assertThat(generation.text().strip()).isEqualTo(refusal);
        assertThat(Refusals.isRefusal(generation.text())).isTrue();
        assertThat(String.join("", pieces)).isEqualTo(generation.text());
        backend().ifPresent(b -> assertThat(b.lastPrompt()).as("the model is told the sentence to refuse with")
                .contains(refusal));
    }

    private static GenerationRequest answerable() {
        return request(TWO_PART_QUESTION, Locale.ENGLISH, LEAVE_AND_WARRANTY);
    }

    private static GenerationRequest request(String question, Locale language, List<Source> sources) {
        return new GenerationRequest(question, language, sources,
                new Prompts(4).answer(question, language, sources, List.of()), 256,
                Instant.now().plus(Duration.ofSeconds(20)));
    }

    private static Source source(int number, String text) {
        return new Source(number, "doc-" + number, "Doc " + number, "chunk-" + number, text, null, 0, text.length(),
                1.0 / number);
    }
}
