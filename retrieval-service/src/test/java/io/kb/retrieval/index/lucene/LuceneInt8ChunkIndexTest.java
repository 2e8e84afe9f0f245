package io.kb.retrieval.index.lucene;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.ChunkIndexContract;
import org.junit.jupiter.api.io.TempDir;

/** The contract suite on a Lucene index whose HNSW graph holds int8 codes and re-scores hits with the vectors. */
class LuceneInt8ChunkIndexTest extends ChunkIndexContract {

    @TempDir
    Path temp;

    private final AtomicInteger indexes = new AtomicInteger();

    @Override
    protected ChunkIndex createIndex() {
        return new LuceneChunkIndex(temp.resolve("index-" + indexes.incrementAndGet()),
                LuceneIndexSettings.DEFAULTS.withVectorEncoding(VectorEncoding.INT8));
    }

    /** The graph compares int8 codes, so a neighbour just below the k-th can be missed (the re-scoring orders those kept). */
    @Override
    protected boolean ranksExactly() {
        return false;
    }
}
