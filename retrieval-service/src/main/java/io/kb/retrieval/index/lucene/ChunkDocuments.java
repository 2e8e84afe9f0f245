package io.kb.retrieval.index.lucene;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.Highlight;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.VectorUtil;

/**
 * How a document version lies in the Lucene index: one Lucene document per chunk, and one marker
 * document per source document that holds its version and whether it is live or removed. All of them
 * carry the same {@link #DOC_KEY}, so one {@code updateDocuments} call replaces a document's chunks
 * and marker together.
 */
final class ChunkDocuments {

    /** What a Lucene document is: {@link #CHUNK} or {@link #MARKER}. */
    static final String KIND = "kind";
    static final String CHUNK = "chunk";
    static final String MARKER = "marker";

    /** Tenant and document id joined by U+0000, which neither may contain: the unit of replacement. */
    static final String DOC_KEY = "docKey";
    static final String TENANT = "tenant";
    static final String DOCUMENT_ID = "documentId";
    static final String VERSION = "version";
    /** On a marker: {@link #LIVE} or {@link #REMOVED}. */
    static final String STATE = "state";
    static final String LIVE = "live";
    static final String REMOVED = "removed";
    /** On a marker: how many chunks the document has. */
    static final String CHUNK_COUNT = "chunkCount";

    /** One value per principal of the document's ACL. */
    static final String ACL = "acl";
    /** The prefix of a metadata field; keys cannot contain characters that would let it reach another field. */
    static final String META_PREFIX = "meta.";
    static final String CHUNK_ID = "chunkId";
    static final String ORDINAL = "ordinal";
    static final String TITLE = "title";
    static final String SOURCE = "source";
    static final String TEXT = "text";
    /** One value per heading, outermost first; stored fields keep their order. */
    static final String HEADING = "heading";
    static final String PAGE = "page";
    static final String START_OFFSET = "startOffset";
    static final String END_OFFSET = "endOffset";
    static final String VECTOR = "vector";

    private ChunkDocuments() {
    }

    /**
     * @param tenant the document's tenant
     * @param documentId the document's id
     * @return the value of {@link #DOC_KEY}
     */
    static String key(String tenant, String documentId) {
        return tenant + '\u0000' + documentId;
    }

    /**
     * The Lucene documents of an upsert: every chunk, then the live marker.
     *
     * @throws ContractViolationException naming {@code chunks[i].vector} when a vector is all zeros,
     *         which has no direction for cosine similarity
     */
    static List<Document> upsert(ChunkBatch batch) {
        List<Document> documents = new ArrayList<>(batch.chunks().size() + 1);
        for (Chunk chunk : batch.chunks()) {
            documents.add(chunk(batch, chunk));
        }
        Document marker = marker(batch, LIVE);
        marker.add(new StoredField(CHUNK_COUNT, batch.chunks().size()));
        documents.add(marker);
        return documents;
    }

    /** The marker of a removed document, which replaces all its Lucene documents. */
    static Document tombstone(ChunkBatch batch) {
        Document marker = marker(batch, REMOVED);
        marker.add(new StoredField(CHUNK_COUNT, 0));
        return marker;
    }

    /**
     * @param document a stored chunk document
     * @param score the hit's score
     * @param highlights the matched stretches of the text
     * @return the hit
     */
    static ChunkHit hit(Document document, float score, List<Highlight> highlights) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (IndexableField field : document.getFields()) {
            if (field.name().startsWith(META_PREFIX)) {
                metadata.put(field.name().substring(META_PREFIX.length()), field.stringValue());
            }
        }
        IndexableField page = document.getField(PAGE);
        return new ChunkHit(
                document.get(CHUNK_ID),
                document.get(DOCUMENT_ID),
                document.getField(VERSION).numericValue().longValue(),
                document.getField(ORDINAL).numericValue().intValue(),
                document.get(TITLE),
                document.get(SOURCE),
                document.get(TEXT),
                List.of(document.getValues(HEADING)),
                page == null ? null : page.numericValue().intValue(),
                document.getField(START_OFFSET).numericValue().intValue(),
                document.getField(END_OFFSET).numericValue().intValue(),
                score,
                metadata,
                highlights);
    }

    /**
     * A unit-length copy of a vector, so that cosine similarity is a dot product of comparable scale
     * whatever the model's own normalisation.
     */
    static float[] normalized(String field, float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += (double) value * value;
        }
        if (squares == 0) {
            throw new ContractViolationException(field, "must not be all zeros: it has no direction to compare");
        }
        return VectorUtil.l2normalize(vector.clone());
    }

    private static Document chunk(ChunkBatch batch, Chunk chunk) {
        Document document = new Document();
        document.add(new StringField(KIND, CHUNK, Field.Store.NO));
        addDocumentFields(document, batch);
        for (String principal : batch.acl()) {
            document.add(new StringField(ACL, principal, Field.Store.YES));
        }
        for (Map.Entry<String, String> entry : batch.metadata().entrySet()) {
            document.add(new StringField(META_PREFIX + entry.getKey(), entry.getValue(), Field.Store.YES));
        }
        document.add(new StringField(CHUNK_ID, chunk.id(), Field.Store.YES));
        document.add(new StoredField(ORDINAL, chunk.ordinal()));
        if (batch.title() != null) {
            document.add(new StoredField(TITLE, batch.title()));
        }
        if (batch.source() != null) {
            document.add(new StoredField(SOURCE, batch.source()));
        }
        document.add(new TextField(TEXT, chunk.text(), Field.Store.YES));
        for (String heading : chunk.headingPath()) {
            document.add(new StoredField(HEADING, heading));
        }
        if (chunk.page() != null) {
            document.add(new StoredField(PAGE, chunk.page()));
        }
        document.add(new StoredField(START_OFFSET, chunk.startOffset()));
        document.add(new StoredField(END_OFFSET, chunk.endOffset()));
        float[] vector = normalized("chunks[" + chunk.ordinal() + "].vector", chunk.vector());
        document.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.COSINE));
        return document;
    }

    private static Document marker(ChunkBatch batch, String state) {
        Document marker = new Document();
        marker.add(new StringField(KIND, MARKER, Field.Store.NO));
        addDocumentFields(marker, batch);
        marker.add(new StringField(STATE, state, Field.Store.YES));
        return marker;
    }

    private static void addDocumentFields(Document document, ChunkBatch batch) {
        document.add(new StringField(DOC_KEY, key(batch.tenant(), batch.documentId()), Field.Store.NO));
        document.add(new StringField(TENANT, batch.tenant(), Field.Store.YES));
        document.add(new StringField(DOCUMENT_ID, batch.documentId(), Field.Store.YES));
        document.add(new StoredField(VERSION, batch.version()));
    }
}
