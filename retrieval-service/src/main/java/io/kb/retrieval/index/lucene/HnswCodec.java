package io.kb.retrieval.index.lucene;

import java.io.IOException;

import io.kb.contracts.event.EmbeddingInfo;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Lucene's default codec with the chunk index's HNSW settings and a vector dimension limit as high as
 * the ingestion contract's ({@link EmbeddingInfo#MAX_DIMENSION}) instead of Lucene's 1024.
 *
 * <p>Both the codec and the vector format keep the names of the formats they wrap, because the
 * files they write are exactly those formats' files: Lucene finds the readers by those names, so an
 * index written with this codec opens with a plain Lucene, and no service registration is needed.
 */
final class HnswCodec extends FilterCodec {

    private final KnnVectorsFormat vectors;

    /**
     * @param maxConn the HNSW graph's neighbours per node
     * @param beamWidth the HNSW candidate list size while building the graph
     */
    HnswCodec(int maxConn, int beamWidth) {
        super(Codec.getDefault().getName(), Codec.getDefault());
        KnnVectorsFormat hnsw = new WideHnswVectorsFormat(new Lucene99HnswVectorsFormat(maxConn, beamWidth));
        this.vectors = new PerFieldKnnVectorsFormat() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return hnsw;
            }
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
