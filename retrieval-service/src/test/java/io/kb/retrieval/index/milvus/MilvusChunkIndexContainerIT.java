package io.kb.retrieval.index.milvus;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.ChunkIndexContract;
import io.kb.retrieval.index.IndexProperties;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.milvus.MilvusContainer;

/**
 * The chunk index contract on a real Milvus 2.6 standalone server in a container: BM25 through Milvus's analyzer,
 * filters and ACLs evaluated by Milvus, hybrid search, consistency. Every index of the suite gets its own
 * collection prefix in the one container. Skipped, and says so, where no Docker engine runs (the project's build
 * machines have none); {@link MilvusChunkIndexGrpcTest} checks the requests there.
 */
@Testcontainers(disabledWithoutDocker = true)
class MilvusChunkIndexContainerIT extends ChunkIndexContract {

    /** A 2.6 server: BM25 functions need 2.5, the {@code functionScore} ranker of hybrid search 2.6.1. */
    @Container
    static final MilvusContainer MILVUS = new MilvusContainer("milvusdb/milvus:v2.6.3");

    private static final AtomicInteger INDEXES = new AtomicInteger();

    @Override
    protected ChunkIndex createIndex() {
        return new MilvusChunkIndex(new IndexProperties.Milvus(URI.create(MILVUS.getEndpoint()), "", "",
                "contract_" + INDEXES.incrementAndGet(), IndexProperties.Consistency.STRONG, Duration.ofSeconds(30),
                Duration.ofSeconds(60), IndexProperties.TextAnalyzer.CJK_ENGLISH, 16, 200, 64));
    }
}
