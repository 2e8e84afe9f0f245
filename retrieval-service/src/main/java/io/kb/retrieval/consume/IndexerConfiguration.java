package io.kb.retrieval.consume;


import io.kb.contracts.Topics;
import io.kb.contracts.event.EventCodec;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.IndexVersions;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.DeadLetterPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The indexer and what becomes of a chunk batch that cannot be applied. */
@Configuration(proxyBeanMethods = false)
class IndexerConfiguration {

    @Bean
    IndexVersions indexVersions() {
        return new IndexVersions();
    }

    @Bean
    ChunkBatchListener chunkBatchListener(EventCodec codec, ChunkIndex index, ContractEventPublisher publisher,
            IndexVersions versions, MeterRegistry meters) {
        return new ChunkBatchListener(codec, index, publisher, versions, meters);
    }

    /** A batch that cannot be applied goes to kb.chunks.dlq.v1, and the document is announced as FAILED. */
    @Bean
    DeadLetterPolicy chunksDeadLetterPolicy(EventCodec codec) {
        return DeadLetterPolicy.announcingFailure(Topics.CHUNKS_DLQ, codec::readChunkBatch);
    }
}
