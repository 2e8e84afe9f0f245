package io.kb.retrieval.index.lucene;

import java.io.IOException;

import io.kb.contracts.event.EmbeddingInfo;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * Lucene's default codec with the chunk index's HNSW settings and vector encoding, and a vector dimension
 * limit as high as the ingestion contract's ({@link EmbeddingInfo#MAX_DIMENSION}) instead of Lucene's 1024.
 * {@code float32} is Lucene's plain HNSW format; {@code int8} and {@code int4} are its optimized scalar
 * quantization format, which keeps the 32-bit vectors beside the codes.
 *
 * <p>Both the codec and the vector format keep the names of the formats they wrap, because the
 * files they write are exactly those formats' files: Lucene finds the readers by those names, so an
 * index written with this codec opens with a plain Lucene, and no service registration is needed.
 */
final class HnswCodec extends FilterCodec {

    private final KnnVectorsFormat vectors;

    /**
     * @param settings the graph's shape, the vector encoding and the merge workers
     */
    HnswCodec(LuceneIndexSettings settings) {
        super(Codec.getDefault().getName(), Codec.getDefault());
        KnnVectorsFormat hnsw = new WideHnswVectorsFormat(format(settings));
        this.vectors = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return hnsw;
            }
        };
    }

    /**
     * The vector format of the settings. Without an executor of its own, a format with several merge workers
     * runs them on the merge scheduler's intra-merge executor, so no thread pool outlives the index.
     */
    private static KnnVectorsFormat format(LuceneIndexSettings settings) {
        int maxConn = settings.hnswMaxConn();
        int beamWidth = settings.hnswBeamWidth();
        int workers = settings.mergeWorkers();
        return switch (settings.vectorEncoding()) {
            case FLOAT32 -> new Lucene99HnswVectorsFormat(maxConn, beamWidth, workers, null);
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, maxConn, beamWidth,
                    workers, null);
            case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, maxConn, beamWidth,
                    workers, null);
        };
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
        return vectors;
    }

    /** The HNSW format under its own name, accepting vectors up to the contract's dimension limit. */
    private static final class WideHnswVectorsFormat extends KnnVectorsFormat {

        private final KnnVectorsFormat delegate;

        WideHnswVectorsFormat(KnnVectorsFormat delegate) {
            super(delegate.getName());
            this.delegate = delegate;
        }

        @Override
        public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
            return delegate.fieldsWriter(state);
        }

        @Override
        public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
            return delegate.fieldsReader(state);
        }

        @Override
        public int getMaxDimensions(String fieldName) {
            return EmbeddingInfo.MAX_DIMENSION;
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
