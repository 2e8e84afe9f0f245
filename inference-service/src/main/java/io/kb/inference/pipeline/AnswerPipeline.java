package io.kb.inference.pipeline;

import io.kb.inference.cache.AnswerCache;
import io.kb.inference.cache.AnswerCacheException;
import io.kb.inference.cache.AnswerKey;
import io.kb.inference.cache.CachedAnswer;
import io.kb.inference.cite.CitationChecker;
import io.kb.inference.cite.CitationStreamFilter;
import io.kb.inference.cite.CitedAnswer;
import io.kb.inference.condense.QueryCondenser;
import io.kb.inference.context.ContextAssembler;
import io.kb.inference.context.Evidence;
import io.kb.inference.context.Source;
import io.kb.inference.degrade.DegradationPolicy;
import io.kb.inference.degrade.Tier;
import io.kb.inference.degrade.TieredGeneration;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Prompts;
import io.kb.inference.generate.Refusals;
import io.kb.inference.language.Languages;
import io.kb.inference.retrieve.ChunkRetriever;
import io.kb.inference.retrieve.IndexVersionSource;
import io.kb.inference.retrieve.Retrieval;
import io.kb.inference.retrieve.RetrievalUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RAG pipeline, as numbered stages: (1) condense a follow-up into a standalone query, (2) retrieve the chunks
 * the asker may read, (3) assemble them into numbered sources within a token budget, and refuse when none supports
 * the question, (4) generate with the tier the degradation policy allows, (5) check the citations, (6) respond.
 * Repeated questions are answered from the cache, keyed by the asker's access and the tenant's index version.
 *
 * <p>Metrics: {@code kb.inference.stage{stage}} times each stage, {@code kb.inference.answer.latency{tier}} the
 * whole answer, {@code kb.inference.answers{tier,outcome,cited}} counts answers, {@code kb.inference.cache{result}}
 * counts cache lookups: {@code hit}, {@code miss}, or {@code error} when the cache failed and the answer was computed.
 */
public final class AnswerPipeline {

    private static final Logger log = LoggerFactory.getLogger(AnswerPipeline.class);

    private final QueryCondenser condenser;
    private final ChunkRetriever retriever;
    private final IndexVersionSource versions;
    private final ContextAssembler assembler;
    private final DegradationPolicy policy;
    private final CitationChecker citations;
    private final Prompts prompts;
    private final Optional<AnswerCache> cache;
    private final InferenceProperties properties;
    private final MeterRegistry meters;

    public AnswerPipeline(QueryCondenser condenser, ChunkRetriever retriever, IndexVersionSource versions,
            ContextAssembler assembler, DegradationPolicy policy, CitationChecker citations, Prompts prompts,
            Optional<AnswerCache> cache, InferenceProperties properties, MeterRegistry meters) {
        this.condenser = condenser;
        this.retriever = retriever;
        this.versions = versions;
        this.assembler = assembler;
        this.policy = policy;
        this.citations = citations;
        this.prompts = prompts;
        this.cache = cache;
        this.properties = properties;
        this.meters = meters;
    }

    /**
     * Answers a question.
     *
     * @param question the question, its history and the asker
     * @param listener receives the answer's text as it is produced
     * @return the checked answer
     * @throws RetrievalUnavailableException when retrieval-service cannot answer
     * @throws io.kb.inference.degrade.NoTierAvailableException when no tier could generate
     * @throws io.kb.inference.degrade.AnswerInterruptedException when the generating tier failed midway
     */
    public Answer answer(Question question, AnswerListener listener) {
        long start = System.nanoTime();
        String id = "ans_" + UUID.randomUUID().toString().replace("-", "");
        Locale language = Languages.of(question.text());
        Map<String, Double> timings = new LinkedHashMap<>();

        Optional<AnswerKey> key = cacheKey(question);
        if (key.isPresent()) {
            Optional<CachedAnswer> hit = lookUp(key.get());
            if (hit.isPresent()) {
                CachedAnswer a = hit.get();
                listener.accept(a.answer());
                timings.put("total", millisSince(start));
                Answer answer = new Answer(id, question.text(), question.text(), a.answer(), a.cited(), a.dontKnow(),
                        a.tier(), "cache_hit", null, null, true, timings, 0, 0);
                finish(answer, start);
                return answer;
            }
        }

        // 1. Condense
        long t = System.nanoTime();
        String query = condenser.condense(question.text(), language, question.history());
        timings.put("condense", stage("condense", t));

        // 2. Retrieve
        t = System.nanoTime();
        Retrieval retrieval = retriever.retrieve(query, question.asker(), properties.topK());
        timings.put("retrieve", stage("retrieve", t));

        // 3. Assemble
        t = System.nanoTime();
        List<Source> sources = assembler.assemble(retrieval.chunks(), policy.largestContextTokens());
        double support = support(query, sources);
        timings.put("assemble", stage("assemble", t));
        if (support < properties.minEvidence()) {
            String refusal = Refusals.of(language);
            listener.accept(refusal);
            timings.put("total", millisSince(start));
            Answer answer = new Answer(id, question.text(), query, refusal, List.of(), true, "none",
                    "weak_evidence", null, null, false, timings, 0, 0);
            store(key, answer);
            finish(answer, start);
            return answer;
        }

        // 4. Generate
        t = System.nanoTime();
        AtomicReference<Set<Integer>> offered = new AtomicReference<>(Set.of());
        CitationStreamFilter filtered = new CitationStreamFilter(listener, () -> offered.get());
        TieredGeneration generated = policy.generate(tier -> {
            List<Source> fitted = fit(sources, tier.contextTokens());
            offered.set(fitted.stream().map(Source::number).collect(Collectors.toSet()));
            return request(question, language, fitted, tier);
        }, filtered);
        filtered.flush();
        timings.put("generate", stage("generate", t));
        timings.put("ttft", generated.ttftNanos() / 1e6);

        // 5. Cite
        t = System.nanoTime();
        CitedAnswer cited = citations.check(generated.generation().text(), generated.request().sources(), language);
        timings.put("cite", stage("cite", t));

        // 6. Respond
        timings.put("total", millisSince(start));
        Answer answer = new Answer(id, question.text(), query, cited.text(), cited.cited(), cited.dontKnow(),
                generated.tier(), generated.reason(), generated.degradedFrom(), generated.detail(), false, timings,
                generated.generation().promptTokens(), generated.generation().completionTokens());
        if ("healthy".equals(generated.reason())) {
            store(key, answer);
        }
        finish(answer, start);
        return answer;
    }

    private GenerationRequest request(Question question, Locale language, List<Source> sources, Tier tier) {
        String text = question.text();
        return new GenerationRequest(text, language, sources,
                tier.isModel() ? prompts.answer(text, language, sources, question.history()) : List.of(),
                tier.properties().answerTokens(), Instant.now().plus(tier.properties().timeout()));
    }

    /** The best coverage of the query by one source. */
    private static double support(String query, List<Source> sources) {
        if (sources.isEmpty()) {
            return 0;
        }
        Evidence evidence = new Evidence(query, sources.stream().map(Source::text).toList());
        return sources.stream().mapToDouble(s -> evidence.coverage(s.text())).max().orElse(0);
    }

    /** The leading sources that fit a tier's budget; at least the first. */
    private static List<Source> fit(List<Source> sources, int tokenBudget) {
        List<Source> fitted = new ArrayList<>();
        int used = 0;
        for (Source s : sources) {
            int tokens = io.kb.inference.context.TokenEstimator.estimate(s.text());
            if (!fitted.isEmpty() && used + tokens > tokenBudget) {
                break;
            }
            used += tokens;
            fitted.add(s);
        }
        return fitted;
    }

    private Optional<AnswerKey> cacheKey(Question question) {
        if (cache.isEmpty() || !question.useCache()) {
            return Optional.empty();
        }
        try {
            String version = versions.currentVersion(question.asker());
            return Optional.of(AnswerKey.of(question.text(), question.history(), question.asker().tenant(),
                    question.asker().principals(), version));
        } catch (RetrievalUnavailableException e) {
            log.info("answering without the cache: the index version is unknown ({})", e.getMessage());
            return Optional.empty();
        }
    }

    /** The cached answer, if any; a cache that fails is counted and answered around, as on a miss. */
    private Optional<CachedAnswer> lookUp(AnswerKey key) {
        try {
            Optional<CachedAnswer> hit = cache.flatMap(c -> c.get(key));
            count("kb.inference.cache", "result", hit.isPresent() ? "hit" : "miss");
            return hit;
        } catch (AnswerCacheException e) {
            // The adapter logs the outage once; every failed lookup shows in the meter.
            count("kb.inference.cache", "result", "error");
            return Optional.empty();
        }
    }

    private void store(Optional<AnswerKey> key, Answer answer) {
        key.ifPresent(k -> cache.ifPresent(c -> c.put(k, new CachedAnswer(answer.text(), answer.citations(),
                answer.dontKnow(), answer.tier()))));
    }

    private void finish(Answer answer, long start) {
        Timer.builder("kb.inference.answer.latency").description("time to a whole answer")
                .tag("tier", answer.tier()).register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        Counter.builder("kb.inference.answers").description("answers by tier and outcome")
                .tag("tier", answer.tier()).tag("outcome", answer.dontKnow() ? "dont_know" : "answered")
                .tag("cited", Boolean.toString(!answer.citations().isEmpty())).register(meters).increment();
        if (answer.cached()) {
            Counter.builder("kb.inference.tier").tag("tier", answer.tier()).tag("reason", "cache_hit")
                    .register(meters).increment();
        }
    }

    private double stage(String name, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        Timer.builder("kb.inference.stage").description("time spent in each pipeline stage").tag("stage", name)
                .register(meters).record(nanos, TimeUnit.NANOSECONDS);
        return nanos / 1e6;
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private void count(String name, String tag, String value) {
        Counter.builder(name).tag(tag, value).register(meters).increment();
    }
}
