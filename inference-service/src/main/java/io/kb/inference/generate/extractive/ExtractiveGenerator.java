package io.kb.inference.generate.extractive;

import io.kb.inference.context.Evidence;
import io.kb.inference.context.Source;
import io.kb.inference.context.TokenEstimator;
import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.Refusals;
import io.kb.inference.generate.TokenSink;
import io.kb.inference.language.Languages;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The generator that needs no model: it answers with the sentences of the sources that best support the question,
 * each followed by its citation marker.
 *
 * <p>A sentence's relevance is its {@link Evidence} coverage of the question (its own words, and half credit for the
 * words of the headings above it), plus small preferences for the question's language, for figures when the
 * question asks for a quantity or a date, and for better-ranked sources. Sentences are then taken greedily by
 * maximal marginal relevance, so that a second sentence adds something the first did not say, and only while they
 * stay close to the best one. When even the best sentence covers too little of the question, the answer is the
 * refusal: an extract that does not answer is worse than saying so.
 *
 * @param settings how many sentences and how much support the answer needs
 */
public record ExtractiveGenerator(Settings settings) implements Generator {

    private static final Pattern ASKS_FOR_FIGURE = Pattern.compile(
            "(?i)\\b(how (many|much|long|often|soon)|when|what (is|are) the (maximum|minimum|limit|rate|cap|number)|"
                    + "by when|until|deadline|which date)\\b|多少|几|多久|什么时候|何时|上限|标准|期限");
    private static final Pattern HAS_FIGURE = Pattern.compile("\\d");

    /**
     * @param maxSentences the most sentences an answer quotes (default 3)
     * @param minSupport   the coverage the best sentence needs, else the answer is the refusal (default 0.35)
     * @param keepRatio    a further sentence must reach this share of the best one's relevance (default 0.7)
     * @param diversity    the weight of novelty against relevance when picking further sentences (default 0.3)
     */
    public record Settings(int maxSentences, double minSupport, double keepRatio, double diversity) {

        /** The defaults tuned on the sample knowledge base's questions. */
        public static final Settings DEFAULTS = new Settings(3, 0.35, 0.7, 0.3);
    }

    @Override
    public Generation generate(GenerationRequest request, TokenSink sink) {
        List<Sentence> candidates = new ArrayList<>();
        for (Source s : request.sources()) {
            candidates.addAll(SentenceSplitter.split(s.text(), s.number()));
        }
        boolean chinese = Languages.isChinese(request.language());
        List<Sentence> chosen = choose(request.question(), chinese, candidates, request.maxTokens());
        int promptTokens = request.sources().stream().mapToInt(s -> TokenEstimator.estimate(s.text())).sum();
        if (chosen.isEmpty()) {
            String refusal = Refusals.of(request.language());
            sink.accept(refusal);
            return new Generation(refusal, promptTokens, TokenEstimator.estimate(refusal), "stop");
        }
        StringBuilder answer = new StringBuilder();
        for (Sentence s : chosen) {
            String piece = (answer.isEmpty() ? "" : chinese ? "" : " ") + cite(s);
            answer.append(piece);
            sink.accept(piece);
        }
        String text = answer.toString();
        return new Generation(text, promptTokens, TokenEstimator.estimate(text), "stop");
    }

    private List<Sentence> choose(String question, boolean chinese, List<Sentence> candidates, int maxTokens) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        Evidence evidence = new Evidence(question, candidates.stream().map(Sentence::text).toList());
        boolean wantsFigure = ASKS_FOR_FIGURE.matcher(question).find();
        double[] support = new double[candidates.size()];
        double[] relevance = new double[candidates.size()];
        for (int i = 0; i < candidates.size(); i++) {
            Sentence s = candidates.get(i);
            Set<String> withContext = new HashSet<>(s.terms());
            withContext.addAll(s.contextTerms());
            support[i] = 0.5 * evidence.coverage(s.terms()) + 0.5 * evidence.coverage(withContext);
            relevance[i] = support[i]
                    + (s.chinese() == chinese ? 0.1 : 0)
                    + (wantsFigure && HAS_FIGURE.matcher(s.text()).find() ? 0.1 : 0)
                    + 0.05 / s.source();
        }
        int best = argmax(relevance, new boolean[candidates.size()]);
        if (support[best] < settings.minSupport()) {
            return List.of();
        }
        List<Sentence> chosen = new ArrayList<>(List.of(candidates.get(best)));
        boolean[] taken = new boolean[candidates.size()];
        taken[best] = true;
        int tokens = TokenEstimator.estimate(candidates.get(best).text());
        Set<String> covered = new HashSet<>(candidates.get(best).terms());
        while (chosen.size() < settings.maxSentences()) {
            double bestScore = Double.NEGATIVE_INFINITY;
            int next = -1;
            for (int i = 0; i < candidates.size(); i++) {
                // What the sentence adds: question words the chosen sentences do not have yet ("... and the
                // warranty?" after a sentence on the rating).
                Set<String> added = new HashSet<>(candidates.get(i).terms());
                added.removeAll(covered);
                double gain = evidence.coverage(added);
                boolean addsNew = gain >= 0.2;
                if (taken[i] || support[i] < settings.minSupport() * (addsNew ? 0.5 : 1)
                        || relevance[i] < settings.keepRatio() * relevance[best] && !addsNew) {
                    continue;
                }
                double redundancy = 0;
                for (Sentence c : chosen) {
                    redundancy = Math.max(redundancy, overlap(candidates.get(i).terms(), c.terms()));
                }
                double score = (1 - settings.diversity()) * (relevance[i] + gain) - settings.diversity() * redundancy;
                if (score > bestScore) {
                    bestScore = score;
                    next = i;
                }
            }
            if (next < 0 || tokens + TokenEstimator.estimate(candidates.get(next).text()) > maxTokens) {
                break;
            }
            taken[next] = true;
            covered.addAll(candidates.get(next).terms());
            tokens += TokenEstimator.estimate(candidates.get(next).text());
            chosen.add(candidates.get(next));
        }
        return chosen;
    }

    /** The sentence with its marker before the final full stop: "... 25 days [1]." or "……25天[1]。". */
    private static String cite(Sentence s) {
        String text = s.text();
        String marker = "[" + s.source() + "]";
        String end = "";
        if (text.endsWith(".") || text.endsWith("。") || text.endsWith("；") || text.endsWith(";")) {
            end = text.substring(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        if (end.isEmpty() || end.equals(";") || end.equals("；")) {
            end = s.chinese() ? "。" : ".";
        }
        return text + (s.chinese() ? "" : " ") + marker + end;
    }

    private static int argmax(double[] values, boolean[] skip) {
        int best = -1;
        for (int i = 0; i < values.length; i++) {
            if (!skip[i] && (best < 0 || values[i] > values[best])) {
                best = i;
            }
        }
        return best;
    }

    private static double overlap(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String t : a) {
            if (b.contains(t)) {
                common++;
            }
        }
        return (double) common / Math.min(a.size(), b.size());
    }
}
