package io.kb.inference.context;

import io.kb.inference.retrieve.RetrievedChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps retrieval's order, drops a chunk seen before (same id) or nearly the same as a kept one (overlapping chunk
 * windows and copied paragraphs), and stops at the token budget; the first chunk is cut to the budget rather than
 * dropped, so that a small budget still leaves some evidence.
 */
public final class TokenBudgetContextAssembler implements ContextAssembler {

    /** Two chunks sharing this share of their words are the same evidence twice. */
    private static final double NEAR_DUPLICATE = 0.8;

    @Override
    public List<Source> assemble(List<RetrievedChunk> chunks, int tokenBudget) {
        List<Source> sources = new ArrayList<>();
        List<Set<String>> keptTerms = new ArrayList<>();
        Set<String> seenIds = new HashSet<>();
        int used = 0;
        for (RetrievedChunk c : chunks) {
            if (c.text().isBlank() || !seenIds.add(c.chunkId())) {
                continue;
            }
            Set<String> terms = new HashSet<>(Terms.of(c.text()));
            if (keptTerms.stream().anyMatch(k -> jaccard(k, terms) >= NEAR_DUPLICATE)) {
                continue;
            }
            String text = c.text();
            int tokens = TokenEstimator.estimate(text);
            if (used + tokens > tokenBudget) {
                if (!sources.isEmpty()) {
                    break;
                }
                text = cut(text, tokenBudget);
                tokens = TokenEstimator.estimate(text);
            }
            used += tokens;
            keptTerms.add(terms);
            sources.add(new Source(sources.size() + 1, c.documentId(), c.title(), c.chunkId(), text, c.page(),
                    c.startOffset(), c.endOffset(), c.score()));
        }
        return sources;
    }

    /** The longest prefix of the text, ended at a whitespace where possible, that fits the budget. */
    private static String cut(String text, int tokenBudget) {
        int lo = 0;
        int hi = text.length();
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (TokenEstimator.estimate(text.substring(0, mid)) <= tokenBudget) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int space = text.lastIndexOf(' ', lo);
        return text.substring(0, space > lo / 2 ? space : lo);
    }

    private static double jaccard(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (String t : a) {
            if (b.contains(t)) {
                common++;
            }
        }
        return (double) common / (a.size() + b.size() - common);
    }
}
