package io.kb.retrieval.consume;

import java.time.Instant;
import java.util.Optional;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.EventCodec;
import io.kb.contracts.event.IngestStatus;
import io.kb.retrieval.index.ChunkIndex;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.DeadLetterPolicy;
import io.kb.service.kafka.ProcessingFailure;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The indexer and what becomes of a chunk batch that cannot be applied. */
@Configuration(proxyBeanMethods = false)
class IndexerConfiguration {

    @Bean
    ChunkBatchListener chunkBatchListener(EventCodec codec, ChunkIndex index, ContractEventPublisher publisher) {
        return new ChunkBatchListener(codec, index, publisher);
    }

    /** A batch that cannot be applied goes to kb.chunks.dlq.v1, and the document is announced as FAILED. */
    @Bean
    DeadLetterPolicy chunksDeadLetterPolicy(EventCodec codec) {
        return new DeadLetterPolicy() {
            @Override
            public String topic() {
                return Topics.CHUNKS_DLQ;
            }

            @Override
            public Optional<ContractEvent> failureEvent(ConsumerRecord<String, byte[]> record, ProcessingFailure failure) {
                if (record.value() == null) {
                    return Optional.empty();
                }
                try {
                    ChunkBatch b = codec.readChunkBatch(record.value());
                    return Optional.of(IngestStatus.failed(b.tenant(), b.documentId(), b.version(), failure.stage(),
                            failure.getMessage(), Instant.now()));
                } catch (ContractViolationException invalid) {
                    return Optional.empty();
                }
            }
        };
    }
}
