package io.kb.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The local profile starts with a Lucene chunk index under {@code kb.data-dir}. The indexer's listener is not
 * started: the local profile points it at the default broker, and on a machine where {@code kb up} runs it would join
 * that stack's consumer group, take its chunk batches and fail them against this test's temporary index.
 */
@SpringBootTest(properties = "spring.kafka.listener.auto-startup=false")
@ActiveProfiles("local")
class RetrievalApplicationTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("kb.data-dir", dataDir::toString);
    }

    @Autowired
    ChunkIndex index;

    @Test
    void startsWithALuceneIndexUnderTheDataDirectory() {
        assertThat(index).isInstanceOfSatisfying(LuceneChunkIndex.class, lucene -> assertThat(lucene.path())
                .isEqualTo(dataDir.resolve("retrieval-service/index")));
        assertThat(index.stats().chunkCount()).isZero();
    }
}
