package io.kb.inference.api;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.kb.contracts.http.ProblemTypes;
import io.kb.service.security.AuthenticatedCaller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/answers/{id}/feedback}: the asker rates an answer. Each rating is counted in
 * {@code kb.inference.feedback{rating,tier}} and written as one event line on the {@code kb.feedback} logger, which
 * a log pipeline can ship to wherever answer quality is reviewed.
 */
@RestController
class FeedbackController {

    private static final Logger events = LoggerFactory.getLogger("kb.feedback");

    private final RecentAnswers recent;
    private final MeterRegistry meters;

    FeedbackController(RecentAnswers recent, MeterRegistry meters) {
        this.recent = recent;
        this.meters = meters;
    }

    /** Thumbs up or down, written in lower case on the wire. */
    enum Rating {
        UP, DOWN;

        @JsonCreator
        static Rating of(String value) {
            return Rating.valueOf(value.strip().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * @param rating  {@code up} or {@code down}
     * @param comment what the asker adds, optional
     */
    record FeedbackBody(@NotNull Rating rating, @Size(max = 2000) String comment) {
    }

    @PostMapping("/api/v1/answers/{id}/feedback")
    @ResponseStatus(HttpStatus.ACCEPTED)
    void rate(@PathVariable String id, @Valid @RequestBody FeedbackBody body, AuthenticatedCaller caller) {
        RecentAnswers.Given given = recent.find(id, caller).orElseThrow(() -> {
            ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "no recent answer " + id + " was given to you");
            p.setType(ProblemTypes.NOT_FOUND);
            return new ErrorResponseException(HttpStatus.NOT_FOUND, p, null);
        });
        String rating = body.rating().name().toLowerCase(Locale.ROOT);
        Counter.builder("kb.inference.feedback").description("answer ratings by the askers")
                .tag("rating", rating).tag("tier", given.tier()).register(meters).increment();
        events.info("feedback answer={} tenant={} user={} tier={} dontKnow={} rating={} comment=\"{}\"", id,
                given.tenant(), given.userId(), given.tier(), given.dontKnow(), rating,
                body.comment() == null ? "" : body.comment().replace('\n', ' ').replace("\"", "'"));
    }
}
