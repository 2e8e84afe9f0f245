package io.kb.inference.pipeline;

import io.kb.inference.degrade.TierProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The pipeline's settings, {@code kb.inference.*}.
 *
 * @param retrievalUrl     retrieval-service's base URL (default {@code http://127.0.0.1:8082})
 * @param retrievalTimeout how long retrieval may take (default 10 s)
 * @param topK             chunks retrieved per question (default 8)
 * @param minEvidence      the share of the question's content words (weighted by rarity) that the best source must
 *                         contain, else the answer is the refusal without any generation (default 0.3)
 * @param maxSentences     the answer length the prompts ask for, and the extractive tier keeps to (default 4)
 * @param tiers            the generator tiers, best first; default: one extractive tier
 */
@ConfigurationProperties("kb.inference")
public record InferenceProperties(URI retrievalUrl, Duration retrievalTimeout, Integer topK, Double minEvidence,
        Integer maxSentences, List<TierProperties> tiers) {

    /** Fills in the defaults and checks the ranges. */
    public InferenceProperties {
        retrievalUrl = retrievalUrl == null ? URI.create("http://127.0.0.1:8082") : retrievalUrl;
        retrievalTimeout = retrievalTimeout == null ? Duration.ofSeconds(10) : retrievalTimeout;
        topK = topK == null ? 8 : topK;
        minEvidence = minEvidence == null ? 0.3 : minEvidence;
        maxSentences = maxSentences == null ? 4 : maxSentences;
        tiers = tiers == null || tiers.isEmpty() ? List.of(TierProperties.extractive("extractive")) : List.copyOf(tiers);
        if (topK < 1 || topK > 50) {
            throw new IllegalArgumentException("kb.inference.top-k: must be 1..50, was " + topK);
        }
        if (minEvidence < 0 || minEvidence > 1) {
            throw new IllegalArgumentException("kb.inference.min-evidence: must be 0..1, was " + minEvidence);
        }
        if (maxSentences < 1 || maxSentences > 20) {
            throw new IllegalArgumentException("kb.inference.max-sentences: must be 1..20, was " + maxSentences);
        }
        if (tiers.stream().map(TierProperties::name).distinct().count() != tiers.size()) {
            throw new IllegalArgumentException("kb.inference.tiers: tier names must be unique");
        }
    }
}
