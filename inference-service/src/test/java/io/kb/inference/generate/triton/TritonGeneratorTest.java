package io.kb.inference.generate.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.Status;
import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationException.Kind;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.GeneratorContract;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import io.kb.inference.generate.triton.ScriptedTritonServer.Script;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.KServe.InferParameter;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TritonGenerator} against a scripted in-process Triton: the port's contract, then what is Triton's own: the
 * request's parameters, the ways a stream ends, errors, deadlines and interruption.
 */
class TritonGeneratorTest extends GeneratorContract {

    private ScriptedTritonServer triton;
    private TritonGenerator generator;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final TokenSink collect = received::add;

    @BeforeEach
    void start() {
        triton = ScriptedTritonServer.start();
        generator = new TritonGenerator(triton.channel(), new TritonGeneratorProperties("triton:8001", "qwen", "vllm",
                Duration.ofSeconds(30)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        generator.close();
        triton.close();
    }

    @Override
    protected Generator generator() {
        return generator;
    }

    @Override
    protected Optional<Backend> backend() {
        return Optional.of(new Backend() {
            @Override
            public void answers(List<String> pieces, Duration between) {
                triton.enqueue(Script.text(pieces.toArray(String[]::new)).between(between));
            }

            @Override
            public String lastPrompt() {
                ModelInferRequest last = triton.requests().getLast();
                for (int i = 0; i < last.getInputsCount(); i++) {
                    if (last.getInputs(i).getName().equals("text_input")) {
                        return String.join("", Tensors.decodeStrings(last.getRawInputContents(i)));
                    }
                }
                throw new AssertionError("the request carried no text_input");
            }

            @Override
            public boolean awaitCancelled(Duration timeout) throws InterruptedException {
                return triton.awaitCancellation(timeout);
            }

            @Override
            public void stop() throws InterruptedException {
                triton.shutdown();
            }
        });
    }

    private static GenerationRequest question(Duration deadline) {
        return new GenerationRequest("What is a vector index?", Locale.ENGLISH, List.of(),
                List.of(PromptMessage.system("Answer from the sources."), PromptMessage.user("What is a vector index?")),
                64, Instant.now().plus(deadline));
    }

    private static GenerationRequest question() {
        return question(Duration.ofSeconds(10));
    }

    private GenerationException failure(GenerationRequest request) {
        return catchThrowableOfType(GenerationException.class, () -> generator.generate(request, collect));
    }

    @Test
    void shouldEstimateTokenCountsWhenTheBackendReportsNone() {
        triton.enqueue(Script.text("one", " two", " three"));

        Generation answer = generator.generate(question(), collect);

        String prompt = PromptFormat.CHATML.render(question().messages());
        assertThat(answer.completionTokens()).isEqualTo(3);
        assertThat(answer.promptTokens()).isEqualTo((prompt.length() + 3) / 4);
    }

    @Test
    void shouldUseTokenCountsTheBackendReports() {
        triton.enqueue(Script.text("one", " two", " three").tokenCounts(42, 2));

        Generation answer = generator.generate(question(), collect);

        assertThat(answer.promptTokens()).isEqualTo(42);
        assertThat(answer.completionTokens()).isEqualTo(6);
    }

    @Test
    void shouldFinishOnAnEmptyFinalResponse() {
        triton.enqueue(Script.text("done", "."));

        assertThat(generator.generate(question(), collect).text()).isEqualTo("done.");
        assertThat(received).containsExactly("done", ".");
    }

    @Test
    void shouldFinishOnTheFinalFlagOfTheLastDataResponse() {
        triton.enqueue(Script.text("done", ".").finalOnLast());

        assertThat(generator.generate(question(), collect).text()).isEqualTo("done.");
    }

    @Test
    void shouldReturnEmptyTextWhenOnlyTheFinalResponseComes() {
        triton.enqueue(Script.text());

        Generation answer = generator.generate(question(), collect);

        assertThat(answer.text()).isEmpty();
        assertThat(received).isEmpty();
    }

    @Test
    void shouldReadTypedBytesContents() {
        triton.enqueue(Script.text("typed", " text").typed().tokenCounts(9, 1));

        Generation answer = generator.generate(question(), collect);

        assertThat(answer.text()).isEqualTo("typed text");
        assertThat(answer.promptTokens()).isEqualTo(9);
        assertThat(answer.completionTokens()).isEqualTo(2);
    }

    @Test
    void shouldAskForStreamingWithAnEmptyFinalResponseAndATimeoutInMicroseconds() {
        triton.enqueue(Script.text("ok"));

        generator.generate(question(Duration.ofSeconds(5)), collect);

        ModelInferRequest sent = triton.requests().getFirst();
        assertThat(sent.getModelName()).isEqualTo("qwen");
        assertThat(sent.getId()).isNotBlank();
        assertThat(sent.getParametersMap().get(InferParameters.ENABLE_EMPTY_FINAL_RESPONSE))
                .isEqualTo(InferParameter.newBuilder().setBoolParam(true).build());
        long timeout = sent.getParametersMap().get(InferParameters.TIMEOUT_MICROSECONDS).getInt64Param();
        assertThat(timeout).isBetween(4_000_000L, 5_000_000L);
    }

    @Test
    void shouldSendTheConfiguredTimeoutWhenItEndsBeforeTheRequestsDeadline() {
        generator.close();
        generator = new TritonGenerator(triton.channel(), new TritonGeneratorProperties("triton:8001", "qwen", "vllm",
                Duration.ofSeconds(2)));
        triton.enqueue(Script.text("ok"));

        generator.generate(question(Duration.ofMinutes(5)), collect);

        long timeout = triton.requests().getFirst().getParametersMap().get(InferParameters.TIMEOUT_MICROSECONDS)
                .getInt64Param();
        assertThat(timeout).isBetween(1_000_000L, 2_000_000L);
    }

    @Test
    void shouldFailWithoutTextWhenTheServerReportsAnError() {
        triton.enqueue(Script.text().thenError("Input 'text_input' not found"));

        GenerationException e = failure(question());

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.textSent()).isFalse();
        assertThat(e.getMessage()).contains("text_input");
    }

    @Test
    void shouldSayTextWasSentWhenAnErrorFollowsDeltas() {
        triton.enqueue(Script.text("partial", " answer").thenError("CUDA out of memory"));

        GenerationException e = failure(question());

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.textSent()).isTrue();
        assertThat(received).containsExactly("partial", " answer");
    }

    @Test
    void shouldReportOverloadWhenTheModelQueueIsFull() {
        triton.enqueue(Script.text().thenError("Exceeds maximum queue size"));

        GenerationException e = failure(question());

        assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(e.textSent()).isFalse();
    }

    @Test
    void shouldReportOverloadOnResourceExhausted() {
        triton.enqueue(Script.text().thenStatus(Status.RESOURCE_EXHAUSTED.withDescription("too many streams")));

        GenerationException e = failure(question());

        assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(e.textSent()).isFalse();
    }

    @Test
    void shouldFailWhenTheStreamEndsWithoutAFinalResponse() {
        triton.enqueue(Script.text("cut").thenClose());

        GenerationException e = failure(question());

        assertThat(e.kind()).isEqualTo(Kind.FAILED);
        assertThat(e.textSent()).isTrue();
    }

    @Test
    void shouldTimeOutWithinTheDeadlineWhenTheStreamHangs() throws InterruptedException {
        triton.enqueue(Script.text("stuck").thenHang());

        long started = System.nanoTime();
        GenerationException e = failure(question(Duration.ofMillis(300)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.textSent()).isTrue();
        assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofMillis(1500));
        assertThat(triton.awaitCancellation(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void shouldTimeOutWithoutCallingWhenTheDeadlineHasPassed() {
        GenerationException e = failure(question(Duration.ofMillis(-1)));

        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(triton.requests()).isEmpty();
    }

    @Test
    void shouldCancelTheCallWhenTheCallerIsInterrupted() throws Exception {
        triton.enqueue(Script.text("waiting").thenHang());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                generator.generate(question(), collect);
            } catch (RuntimeException e) {
                thrown.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
            }
        });
        for (int waited = 0; received.isEmpty() && waited < 400; waited++) {
            Thread.sleep(5);
        }

        caller.interrupt();
        caller.join(Duration.ofSeconds(2));

        assertThat(thrown.get()).isInstanceOf(GenerationCancelledException.class);
        assertThat(stillInterrupted.get()).isTrue();
        assertThat(triton.awaitCancellation(Duration.ofSeconds(2))).isTrue();
    }

    @Test
    void shouldBeReadyWhenServerAndModelAre() {
        assertThat(generator.ready()).isTrue();
        assertThat(triton.modelReadyAsked()).containsExactly("qwen");
    }

    @Test
    void shouldNotBeReadyWhenTheModelIsNot() {
        triton.ready(true, false);

        assertThat(generator.ready()).isFalse();
    }

    @Test
    void shouldNotBeReadyWhenTheServerIsNot() {
        triton.ready(false, true);

        assertThat(generator.ready()).isFalse();
    }
}
