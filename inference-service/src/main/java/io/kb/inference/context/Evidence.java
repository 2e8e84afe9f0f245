package io.kb.inference.context;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well a text supports a question: the share of the question's content words it contains, each word weighted
 * by how rare it is among the candidate texts (a word every candidate contains, such as the company's name, says
 * little; a word none contains, such as "2019" in a question about sales that no document mentions, weighs most).
 * The pipeline refuses to answer when no source reaches the configured share, and the extractive generator ranks
 * sentences by it.
 */
public final class Evidence {

    private final Set<String> questionTerms;
    private final Map<String, Double> weights = new HashMap<>();
    private final double total;

    /**
     * @param question   the question
     * @param candidates the texts whose word frequencies set the weights (the retrieved chunks or their sentences)
     */
    public Evidence(String question, Collection<String> candidates) {
        this.questionTerms = new LinkedHashSet<>(Terms.of(question));
        List<Set<String>> docs = candidates.stream().map(t -> (Set<String>) new HashSet<>(Terms.of(t))).toList();
        Set<Integer> ideographs = new HashSet<>();
        candidates.forEach(t -> t.codePoints().filter(Evidence::isHan).forEach(ideographs::add));
        int n = docs.size();
        double sum = 0;
        for (String term : questionTerms) {
            long df = docs.stream().filter(d -> d.contains(term)).count();
            double w = Math.log(1 + (n + 1) / (df + 0.5));
            if (df == 0 && term.codePoints().allMatch(Evidence::isHan)
                    && term.codePoints().allMatch(ideographs::contains)) {
                // Chinese has no spaces, so a question's bigrams include pairs across word boundaries ("的年" in
                // "未休的年假"); one that no candidate has, made of characters the candidates do have, is such a
                // pair rather than a missing word, and says nothing either way.
                w = 0;
            }
            weights.put(term, w);
            sum += w;
        }
        this.total = sum;
    }

    private static boolean isHan(int codePoint) {
        return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
    }

    /** The question's content words, once each, in order. */
    public Set<String> questionTerms() {
        return questionTerms;
    }

    /**
     * The weighted share of the question's words that the text contains.
     *
     * @return from 0 (none, or a question without content words) to 1 (all)
     */
    public double coverage(String text) {
        return coverage(new HashSet<>(Terms.of(text)));
    }

    /** {@link #coverage(String)} for text already split into terms. */
    public double coverage(Set<String> textTerms) {
        if (total == 0) {
            return 0;
        }
        double covered = 0;
        for (String term : questionTerms) {
            if (textTerms.contains(term)) {
                covered += weights.get(term);
            }
        }
        return covered / total;
    }
}
