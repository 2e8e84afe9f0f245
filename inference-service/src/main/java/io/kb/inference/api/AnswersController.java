package io.kb.inference.api;

import io.kb.inference.degrade.AnswerInterruptedException;
import io.kb.inference.degrade.NoTierAvailableException;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.pipeline.Answer;
import io.kb.inference.pipeline.AnswerListener;
import io.kb.inference.pipeline.AnswerPipeline;
import io.kb.inference.pipeline.Question;
import io.kb.inference.retrieve.RetrievalUnavailableException;
import io.kb.service.security.AuthenticatedCaller;
import jakarta.validation.Valid;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Answers with citations: {@code POST /api/v1/answers} returns the whole answer, {@code /api/v1/answers/stream}
 * streams it as Server-Sent Events: {@code token} events ({@code {"text": ...}}) as the text is produced, then one
 * {@code citations} event, then a {@code done} event with the whole response (tier, timings, token counts); a
 * failure ends the stream with an {@code error} event holding a problem.
 */
@RestController
class AnswersController {

    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(5);

    private final AnswerPipeline pipeline;
    private final ExecutorService threads;
    private final AnswerProblems problems;
    private final RecentAnswers recent;

    AnswersController(AnswerPipeline pipeline, ExecutorService inferenceThreads, AnswerProblems problems,
            RecentAnswers recent) {
        this.pipeline = pipeline;
        this.threads = inferenceThreads;
        this.problems = problems;
        this.recent = recent;
    }

    @PostMapping(path = "/api/v1/answers", produces = MediaType.APPLICATION_JSON_VALUE)
    AnswerResponseBody answer(@Valid @RequestBody AnswerRequestBody body, AuthenticatedCaller caller,
            @AuthenticationPrincipal Jwt jwt) {
        Answer answer;
        try {
            answer = pipeline.answer(question(body, caller, jwt), AnswerListener.none());
        } catch (RetrievalUnavailableException | NoTierAvailableException | AnswerInterruptedException e) {
            throw problems.handle(e);
        }
        recent.remember(answer, caller);
        return AnswerResponseBody.of(answer);
    }

    @PostMapping(path = "/api/v1/answers/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(@Valid @RequestBody AnswerRequestBody body, AuthenticatedCaller caller,
            @AuthenticationPrincipal Jwt jwt) {
        Question question = question(body, caller, jwt);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        threads.execute(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            try {
                Answer answer = pipeline.answer(question, text -> send(emitter, "token", Map.of("text", text)));
                recent.remember(answer, caller);
                AnswerResponseBody response = AnswerResponseBody.of(answer);
                send(emitter, "citations", Map.of("citations", response.citations()));
                send(emitter, "done", response);
                emitter.complete();
            } catch (GenerationCancelledException gone) {
                emitter.complete();
            } catch (RuntimeException e) {
                ProblemDetail problem = problems.of(e);
                try {
                    send(emitter, "error", problem);
                    emitter.complete();
                } catch (GenerationCancelledException gone) {
                    emitter.complete();
                }
            } finally {
                MDC.clear();
            }
        });
        return emitter;
    }

    private static Question question(AnswerRequestBody body, AuthenticatedCaller caller, Jwt jwt) {
        return new Question(body.question().strip(), body.historyMessages(), Askers.of(caller, jwt),
                body.cache() == null || body.cache());
    }

    /** Sends one event; a reader that has gone ends the generation upstream too. */
    private static void send(SseEmitter emitter, String name, Object data) {
        try {
            emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            throw new GenerationCancelledException("the reader went away: " + e.getMessage());
        }
    }
}
