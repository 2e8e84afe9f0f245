package io.kb.retrieval.index.lucene;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.ChunkIndexContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on Lucene indexes whose HNSW graph holds quantized codes (int8, int4) and re-scores its hits
 * with the 32-bit vectors. The graph compares codes, so a neighbour just below the k-th can be missed: these
 * indexes are held to every rule of the contract except the exact nearest-k list.
 */
class QuantizedLuceneChunkIndexTest {

    /** One encoding's run of the suite. */
    abstract static class Quantized extends ChunkIndexContract {

        @TempDir
        Path temp;

        private final AtomicInteger indexes = new AtomicInteger();

        abstract VectorEncoding encoding();

        @Override
        protected ChunkIndex createIndex() {
            return new LuceneChunkIndex(temp.resolve("index-" + indexes.incrementAndGet()),
                    LuceneIndexSettings.DEFAULTS.withVectorEncoding(encoding()));
        }

        @Override
        protected boolean ranksExactly() {
            return false;
        }
    }

    @Nested
    class Int8 extends Quantized {
        @Override
        VectorEncoding encoding() {
            return VectorEncoding.INT8;
        }
    }

    @Nested
    class Int4 extends Quantized {
        @Override
        VectorEncoding encoding() {
            return VectorEncoding.INT4;
        }
    }
}
