package io.kb.ingest.pipeline;

import io.kb.contracts.event.EventCodec;
import io.kb.ingest.chunk.ChunkProperties;
import io.kb.ingest.chunk.Chunker;
import io.kb.ingest.chunk.TokenBudgetChunker;
import io.kb.ingest.embed.EmbeddingClient;
import io.kb.ingest.embed.EmbeddingClientProperties;
import io.kb.ingest.embed.HttpEmbeddingClient;
import io.kb.ingest.parse.DocumentParser;
import io.kb.ingest.parse.ParseProperties;
import io.kb.ingest.parse.TikaDocumentParser;
import io.kb.ingest.publish.EventPublisher;
import io.kb.ingest.source.ContentFetcher;
import io.kb.ingest.source.SourceProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.web.client.RestClient;

/** The ingestion pipeline's parts and the consumer's delivery rules. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    ContentFetcher contentFetcher(SourceProperties properties) {
        return new ContentFetcher(properties);
    }

    @Bean
    DocumentParser documentParser(ParseProperties properties) {
        return new TikaDocumentParser(properties);
    }

    @Bean
    Chunker chunker(ChunkProperties properties) {
        return TokenBudgetChunker.withHuggingFaceTokenizers(properties);
    }

    @Bean
    EmbeddingClient embeddingClient(RestClient.Builder builder, EmbeddingClientProperties properties) {
        return new HttpEmbeddingClient(builder, properties);
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafka, EventCodec codec) {
        return new EventPublisher(kafka, codec);
    }

    @Bean
    IngestPipeline ingestPipeline(ContentFetcher fetcher, DocumentParser parser, Chunker chunker,
            EmbeddingClient embeddings, EventPublisher publisher, MeterRegistry meters) {
        return new IngestPipeline(fetcher, parser, chunker, embeddings, publisher, meters);
    }

    @Bean
    DocumentEventListener documentEventListener(EventCodec codec, IngestPipeline pipeline, EventPublisher publisher) {
        return new DocumentEventListener(codec, pipeline, publisher);
    }

    /** Numbers each delivery of a record, so that a retry can tell itself from the first try. */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> deliveryAttemptHeader() {
        return container -> container.getContainerProperties().setDeliveryAttemptHeader(true);
    }

    /**
     * Transient failures are retried with exponential backoff; permanent ones (bad events, corrupt files) are not.
     * Either way the record ends with the recoverer and the consumer goes on: one poisoned record never stops a
     * partition.
     */
    @Bean
    DefaultErrorHandler kafkaErrorHandler(EventPublisher publisher, EventCodec codec, DeliveryProperties delivery,
            MeterRegistry meters) {
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(delivery.attempts() - 1);
        backOff.setInitialInterval(delivery.initialBackoff().toMillis());
        backOff.setMultiplier(2.0);
        backOff.setMaxInterval(delivery.maxBackoff().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(
                new DeadLetterRecoverer(publisher, codec, delivery, meters), backOff);
        handler.addNotRetryableExceptions(IngestFailure.Permanent.class);
        handler.setCommitRecovered(true);
        return handler;
    }
}
