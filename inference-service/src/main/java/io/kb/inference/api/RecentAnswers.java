package io.kb.inference.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kb.inference.pipeline.Answer;
import io.kb.service.security.AuthenticatedCaller;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The answers given in the last hours, so that feedback names what it rates (question, tier) and only the asker
 * can rate an answer. Bounded; an answer rated after it was dropped is unknown.
 */
@Component
public class RecentAnswers {

    /**
     * @param userId   who asked
     * @param tenant   their tenant
     * @param tier     the tier that answered
     * @param dontKnow whether it was the refusal
     */
    record Given(String userId, String tenant, String tier, boolean dontKnow) {
    }

    private final Cache<String, Given> given = Caffeine.newBuilder().maximumSize(50_000)
            .expireAfterWrite(Duration.ofHours(24)).build();

    /** Remembers an answer given to a caller, so that they can rate it. */
    public void remember(Answer answer, AuthenticatedCaller caller) {
        given.put(answer.id(), new Given(caller.userId(), caller.tenant(), answer.tier(), answer.dontKnow()));
    }

    /** The answer, when it was given to this caller. */
    Optional<Given> find(String id, AuthenticatedCaller caller) {
        Given g = given.getIfPresent(id);
        return g != null && g.userId().equals(caller.userId()) && g.tenant().equals(caller.tenant())
                ? Optional.of(g) : Optional.empty();
    }
}
