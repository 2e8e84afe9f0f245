package io.kb.ingest.pipeline;

import java.time.Clock;

import io.kb.contracts.Topics;
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
import io.kb.ingest.source.ContentFetcher;
import io.kb.ingest.source.SourceProperties;
import io.kb.ingest.source.upload.FileSystemUploadStore;
import io.kb.ingest.source.upload.UploadJanitor;
import io.kb.ingest.source.upload.UploadProperties;
import io.kb.ingest.source.upload.UploadStore;
import io.kb.ingest.status.DocumentStates;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.DeadLetterPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DeliveryAttemptAware;
import org.springframework.web.client.RestClient;

/** The ingestion pipeline's parts, and what becomes of a document that cannot be ingested. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    UploadStore uploadStore(UploadProperties properties) {
        return new FileSystemUploadStore(properties.dir());
    }

    @Bean
    UploadJanitor uploadJanitor(UploadStore store, UploadProperties properties, MeterRegistry meters) {
        return new UploadJanitor(store, properties, meters, Clock.systemUTC());
    }

    @Bean
    ContentFetcher contentFetcher(SourceProperties properties, UploadStore uploads) {
        return new ContentFetcher(properties, uploads);
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
    IngestPipeline ingestPipeline(ContentFetcher fetcher, DocumentParser parser, Chunker chunker,
            EmbeddingClient embeddings, ContractEventPublisher publisher, MeterRegistry meters, DocumentStates states) {
        return new IngestPipeline(fetcher, parser, chunker, embeddings, publisher, meters, states);
    }

    /** Chunks are gathered into groups of one embedding request's texts; the error handler counts retries. */
    @Bean
    DocumentEventListener documentEventListener(EventCodec codec, IngestPipeline pipeline,
            EmbeddingClientProperties embedding, ObjectProvider<DeliveryAttemptAware> attempts) {
        return new DocumentEventListener(codec, pipeline, embedding.batchSize(), attempts.getIfAvailable());
    }

    /** A failed document goes to kb.documents.dlq.v1; when the event was valid, a FAILED status says why. */
    @Bean
    DeadLetterPolicy documentsDeadLetterPolicy(EventCodec codec) {
        return DeadLetterPolicy.announcingFailure(Topics.DOCUMENTS_DLQ, codec::readDocumentEvent);
    }
}
