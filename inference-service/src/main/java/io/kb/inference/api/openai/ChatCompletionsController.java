package io.kb.inference.api.openai;

import io.kb.inference.api.Askers;
import io.kb.inference.api.RecentAnswers;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.pipeline.Answer;
import io.kb.inference.pipeline.AnswerListener;
import io.kb.inference.pipeline.AnswerPipeline;
import io.kb.inference.pipeline.Question;
import io.kb.service.security.AuthenticatedCaller;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.slf4j.MDC;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /v1/chat/completions}, so that OpenAI clients and chat front ends ask the knowledge base unchanged:
 * the last user message is the question, the earlier ones its history, the caller is whoever the bearer token (the
 * client's API key) names. The answer is the pipeline's, with citation markers in the text and the cited passages
 * in an extra {@code citations} field.
 *
 * <p>With {@code stream: true} the answer comes as Server-Sent Events of {@link ChatCompletionChunk}s ending in
 * {@code data: [DONE]}. A failure before any chunk was sent is an ordinary error response with its status; a
 * failure midway ends the stream with {@code data: {"error": ...}} and {@code [DONE]}. A reader that goes away
 * cancels the generation.
 */
@RestController
class ChatCompletionsController {

    private static final Duration STREAM_TIMEOUT = Duration.ofMinutes(5);

    private final AnswerPipeline pipeline;
    private final ExecutorService threads;
    private final RecentAnswers recent;
    private final OpenAiApiProperties properties;

    ChatCompletionsController(AnswerPipeline pipeline, ExecutorService inferenceThreads, RecentAnswers recent,
            OpenAiApiProperties properties) {
        this.pipeline = pipeline;
        this.threads = inferenceThreads;
        this.recent = recent;
        this.properties = properties;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object complete(@RequestBody ChatCompletionRequest body, AuthenticatedCaller caller,
            @AuthenticationPrincipal Jwt jwt) {
        ChatCompletionRequest.Conversation conversation = body.conversation(properties.model());
        Question question = new Question(conversation.question(), conversation.history(), Askers.of(caller, jwt),
                true);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        if (body.streaming()) {
            return stream(question, caller, new ChatCompletionChunk.Stream(id, created, body.model()),
                    body.includeUsage());
        }
        Answer answer;
        try {
            answer = pipeline.answer(question, AnswerListener.none());
        } catch (RuntimeException e) {
            throw OpenAiErrorResolver.of(e);
        }
        recent.remember(answer, caller);
        return ChatCompletion.of(id, created, body.model(), answer);
    }

    private SseEmitter stream(Question question, AuthenticatedCaller caller, ChatCompletionChunk.Stream chunks,
            boolean includeUsage) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        threads.execute(() -> {
            if (mdc != null) {
                MDC.setContextMap(mdc);
            }
            Chunks out = new Chunks(emitter, chunks);
            try {
                Answer answer = pipeline.answer(question, out::content);
                recent.remember(answer, caller);
                out.start();
                out.send(chunks.finish(answer));
                if (includeUsage) {
                    out.send(chunks.usage(answer));
                }
                out.done();
                emitter.complete();
            } catch (GenerationCancelledException gone) {
                emitter.complete();
            } catch (RuntimeException e) {
                OpenAiApiException error = OpenAiErrorResolver.of(e);
                if (!out.started()) {
                    // Nothing is on the wire yet: the error goes out as a response with its own status.
                    emitter.completeWithError(error);
                    return;
                }
                try {
                    out.send(error.body());
                    out.done();
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

    /** The events of one stream; the role chunk goes first, with the first text. */
    private static final class Chunks {

        private final SseEmitter emitter;
        private final ChatCompletionChunk.Stream chunks;
        private boolean started;

        Chunks(SseEmitter emitter, ChatCompletionChunk.Stream chunks) {
            this.emitter = emitter;
            this.chunks = chunks;
        }

        boolean started() {
            return started;
        }

        void start() {
            if (!started) {
                started = true;
                send(chunks.role());
            }
        }

        void content(String text) {
            start();
            send(chunks.content(text));
        }

        void done() {
            try {
                emitter.send(SseEmitter.event().data("[DONE]", MediaType.TEXT_PLAIN));
            } catch (IOException | IllegalStateException e) {
                throw new GenerationCancelledException("the reader went away: " + e.getMessage());
            }
        }

        /** Sends one event; a reader that has gone ends the generation upstream too. */
        void send(Object data) {
            try {
                emitter.send(SseEmitter.event().data(data, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                throw new GenerationCancelledException("the reader went away: " + e.getMessage());
            }
        }
    }
}
