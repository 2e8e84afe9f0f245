package io.kb.retrieval.index.lucene;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import io.kb.retrieval.index.ChunkIndex;
import io.kb.retrieval.index.ChunkIndexContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on Lucene indexes whose HNSW graph holds quantized codes (int8, int4) and re-scores its hits
 * with the 32-bit vectors. The graph compares codes, so a neighbour the codes rank just below the k-th would be
 * missed if the search collected only k; it collects {@code search-ef} (200 by default, more than the contract's
 * indexes hold) and re-scores them all, so these indexes are held to the exact nearest-k list too.
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
