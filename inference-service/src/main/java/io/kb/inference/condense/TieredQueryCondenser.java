package io.kb.inference.condense;

import io.kb.inference.context.Terms;
import io.kb.inference.degrade.DegradationPolicy;
import io.kb.inference.degrade.Tier;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.Prompts;
import io.kb.inference.generate.TokenSink;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites follow-ups with the best model tier when the degradation policy offers one (not while that tier is
 * easing off); without a model, a short follow-up is searched together with the previous question, which is what
 * a rewrite would mostly have added. A first question, or a failed rewrite, goes on as asked.
 */
public final class TieredQueryCondenser implements QueryCondenser {

    private static final Logger log = LoggerFactory.getLogger(TieredQueryCondenser.class);
    /** A follow-up with fewer content words than this leans on the previous question. */
    private static final int SHORT_FOLLOW_UP = 4;

    private final DegradationPolicy policy;
    private final Prompts prompts;

    public TieredQueryCondenser(DegradationPolicy policy, Prompts prompts) {
        this.policy = policy;
        this.prompts = prompts;
    }

    @Override
    public String condense(String question, Locale language, List<PromptMessage> history) {
        if (history.isEmpty()) {
            return question;
        }
        Optional<Tier> rewriter = policy.rewriter();
        if (rewriter.isPresent()) {
            Tier tier = rewriter.get();
            try {
                GenerationRequest request = new GenerationRequest(question, language, List.of(),
                        prompts.condense(question, language, history), 128,
                        Instant.now().plus(tier.properties().firstTokenTimeout().multipliedBy(2)));
                String rewritten = tier.generator().generate(request, TokenSink.discard()).text().strip();
                if (!rewritten.isEmpty() && rewritten.length() <= 4 * question.length() + 200) {
                    return rewritten;
                }
            } catch (GenerationException e) {
                log.info("the {} tier could not rewrite the follow-up, searching it as asked: {}", tier.name(),
                        e.getMessage());
            }
            return question;
        }
        if (Terms.of(question).size() >= SHORT_FOLLOW_UP) {
            return question;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            if ("user".equals(history.get(i).role())) {
                return history.get(i).content() + " " + question;
            }
        }
        return question;
    }
}
