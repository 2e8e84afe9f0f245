package io.kb.inference.pipeline;

import io.kb.inference.cache.AnswerCache;
import io.kb.inference.cache.CacheProperties;
import io.kb.inference.cache.CaffeineAnswerCache;
import io.kb.inference.cache.RedisAnswerCache;
import io.kb.inference.cite.CitationChecker;
import io.kb.inference.condense.TieredQueryCondenser;
import io.kb.inference.context.TokenBudgetContextAssembler;
import io.kb.inference.degrade.DegradationPolicy;
import io.kb.inference.degrade.GeneratorsHealthIndicator;
import io.kb.inference.degrade.Tier;
import io.kb.inference.degrade.TierProber;
import io.kb.inference.degrade.TierProperties;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.Prompts;
import io.kb.inference.generate.extractive.ExtractiveGenerator;
import io.kb.inference.generate.openai.OpenAiCompatibleGenerator;
import io.kb.inference.generate.triton.TritonGenerator;
import io.kb.inference.retrieve.RetrievalServiceChunkRetriever;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/** Wires the pipeline's stages, the generator tiers from {@code kb.inference.tiers}, and the answer cache. */
@Configuration(proxyBeanMethods = false)
class InferenceConfiguration {

    /** Virtual threads for generations and streamed answers; each waits on I/O almost all the time. */
    @Bean(destroyMethod = "close")
    ExecutorService inferenceThreads() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    @Bean
    Tiers tiers(InferenceProperties properties) {
        return new Tiers(properties.tiers().stream().map(p -> new Tier(p, generator(p, properties))).toList());
    }

    @Bean
    DegradationPolicy degradationPolicy(Tiers tiers, ExecutorService inferenceThreads, MeterRegistry meters) {
        return new DegradationPolicy(tiers.all(), inferenceThreads, meters);
    }

    /** Probes half-open tiers once a second, on its own thread so that a hung probe delays only the next probe. */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService tierProber(Tiers tiers, ExecutorService inferenceThreads) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tier-prober").daemon().factory());
        scheduler.scheduleWithFixedDelay(new TierProber(tiers.all(), inferenceThreads), 1, 1, TimeUnit.SECONDS);
        return scheduler;
    }

    @Bean
    GeneratorsHealthIndicator generatorsHealthIndicator(DegradationPolicy policy) {
        return new GeneratorsHealthIndicator(policy);
    }

    @Bean
    RetrievalServiceChunkRetriever chunkRetriever(RestClient.Builder builder, InferenceProperties properties) {
        return new RetrievalServiceChunkRetriever(builder, properties.retrievalUrl(), properties.retrievalTimeout());
    }

    /**
     * The cache is a bean of its own type, present only when enabled: an {@code Optional<AnswerCache>} injection
     * point looks for an {@code AnswerCache} bean, and would never see a bean of type {@code Optional}. The Redis
     * adapter is closed with the context (Spring infers its {@code close()}). Neither is part of readiness: without
     * its cache the service answers, only slower.
     */
    @Bean
    @ConditionalOnProperty(prefix = "kb.inference.cache", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    AnswerCache answerCache(CacheProperties properties, MeterRegistry meters) {
        return switch (properties.backend()) {
            case MEMORY -> new CaffeineAnswerCache(properties.maxEntries(), properties.ttl());
            case REDIS -> new RedisAnswerCache(properties, meters);
        };
    }

    @Bean
    AnswerPipeline answerPipeline(RetrievalServiceChunkRetriever retriever, DegradationPolicy policy,
            Optional<AnswerCache> answerCache, InferenceProperties properties, MeterRegistry meters) {
        Prompts prompts = new Prompts(properties.maxSentences());
        return new AnswerPipeline(new TieredQueryCondenser(policy, prompts), retriever, retriever,
                new TokenBudgetContextAssembler(), policy, new CitationChecker(), prompts, answerCache, properties,
                meters);
    }

    private static Generator generator(TierProperties tier, InferenceProperties properties) {
        return switch (tier.type()) {
            case EXTRACTIVE -> new ExtractiveGenerator(new ExtractiveGenerator.Settings(
                    Math.min(properties.maxSentences(), ExtractiveGenerator.Settings.DEFAULTS.maxSentences()),
                    ExtractiveGenerator.Settings.DEFAULTS.minSupport(),
                    ExtractiveGenerator.Settings.DEFAULTS.keepRatio(),
                    ExtractiveGenerator.Settings.DEFAULTS.diversity()));
            case TRITON -> TritonGenerator.connect(tier.triton());
            case OPENAI -> new OpenAiCompatibleGenerator(tier.openai());
        };
    }

    /** The tiers in order; closes the generators that hold connections when the context stops. */
    record Tiers(List<Tier> all) implements DisposableBean {

        @Override
        public void destroy() throws Exception {
            for (Tier t : all) {
                if (t.generator() instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
    }
}
