package io.kb.retrieval.index.milvus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.Highlight;
import io.kb.retrieval.index.IndexProperties;
import io.milvus.common.clientenum.FunctionType;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;

/**
 * How the index lies in Milvus: two kinds of collection, their schemas and indexes, and the conversion between
 * chunk batches, rows and hits.
 *
 * <ul>
 *   <li>The <b>chunk collection</b> of one embedding model, {@code <prefix>_chunks_<model>_<dimension>}: one row per
 *       chunk with a VarChar primary key (the chunk id, which derives from tenant, document, version and ordinal,
 *       so a redelivered batch overwrites its own rows), the tenant as partition key, the text with an analyzer and
 *       a BM25 function that fills a sparse field, the dense vector, the ACL as an array, the metadata as JSON, and
 *       what a citation needs as JSON.</li>
 *   <li>The <b>documents collection</b>, {@code <prefix>_documents}: one row per document with the version of the
 *       last batch applied and whether it is live or removed, plus one row for the whole index that records its
 *       embedding model and dimension. Milvus needs a vector field in every collection; {@link #SLOT} is a
 *       constant two-number vector that nothing searches.</li>
 * </ul>
 */
final class ChunkRows {

    // chunk collection
    static final String CHUNK_ID = "chunk_id";
    static final String TENANT = "tenant_id";
    static final String DOCUMENT_ID = "doc_id";
    static final String VERSION = "version";
    static final String ORDINAL = "ordinal";
    static final String TEXT = "text";
    static final String DENSE = "dense";
    static final String SPARSE = "sparse";
    static final String ACL = "acl";
    static final String META = "meta";
    static final String CITATION = "citation";
    static final String BM25_FUNCTION = "text_bm25";

    // documents collection
    static final String DOC_KEY = "doc_key";
    static final String STATE = "state";
    static final String INFO = "info";
    static final String SLOT = "slot";
    static final String LIVE = "live";
    static final String REMOVED = "removed";
    static final String EMBEDDING = "embedding";
    /** The key of the row that records the index's embedding; tenant names cannot start with {@code #}. */
    static final String EMBEDDING_KEY = "#embedding";

    static final int TENANT_MAX_LENGTH = 64;
    static final int ID_MAX_LENGTH = 64;
    /** Milvus counts VarChar lengths in bytes; a document id of 512 characters takes at most 2048 in UTF-8. */
    static final int DOCUMENT_ID_MAX_BYTES = 2048;
    static final int DOC_KEY_MAX_BYTES = TENANT_MAX_LENGTH + 1 + DOCUMENT_ID_MAX_BYTES;
    static final int TEXT_MAX_BYTES = 65_535;
    static final int ACL_MAX_ENTRIES = 256;
    static final int PRINCIPAL_MAX_BYTES = 1024;
    static final int SLOT_DIMENSION = 2;

    /** What a search returns of every hit: all but the vectors. */
    static final List<String> HIT_FIELDS = List.of(CHUNK_ID, TENANT, DOCUMENT_ID, VERSION, ORDINAL, TEXT, ACL, META,
            CITATION);

    private ChunkRows() {
    }

    /**
     * @param prefix the collection prefix
     * @param embedding the model and dimension
     * @return the name of the model's chunk collection: letters, digits and underscores, as Milvus requires
     */
    static String chunkCollection(String prefix, EmbeddingInfo embedding) {
        String model = embedding.model().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        String name = prefix + "_chunks_" + model + "_" + embedding.dimension();
        if (name.length() > 255) {
            // Milvus names are at most 255 characters; a hash keeps long model names apart.
            name = prefix + "_chunks_" + Integer.toHexString(embedding.model().hashCode()) + "_" + embedding.dimension();
        }
        return name;
    }

    /** @return the name of the documents collection */
    static String documentsCollection(String prefix) {
        return prefix + "_documents";
    }

    /** @return the documents collection's key of a document */
    static String docKey(String tenant, String documentId) {
        return tenant + "/" + documentId;
    }

    /** The schema of a chunk collection. */
    static CreateCollectionReq.CollectionSchema chunkSchema(int dimension, IndexProperties.TextAnalyzer analyzer) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName(CHUNK_ID).dataType(DataType.VarChar).maxLength(ID_MAX_LENGTH)
                .isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName(TENANT).dataType(DataType.VarChar)
                .maxLength(TENANT_MAX_LENGTH).isPartitionKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName(DOCUMENT_ID).dataType(DataType.VarChar)
                .maxLength(DOCUMENT_ID_MAX_BYTES).build());
        schema.addField(AddFieldReq.builder().fieldName(VERSION).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(ORDINAL).dataType(DataType.Int32).build());
        schema.addField(AddFieldReq.builder().fieldName(TEXT).dataType(DataType.VarChar).maxLength(TEXT_MAX_BYTES)
                .enableAnalyzer(true).analyzerParams(analyzerParams(analyzer)).build());
        schema.addField(AddFieldReq.builder().fieldName(DENSE).dataType(DataType.FloatVector).dimension(dimension)
                .build());
        schema.addField(AddFieldReq.builder().fieldName(SPARSE).dataType(DataType.SparseFloatVector).build());
        schema.addField(AddFieldReq.builder().fieldName(ACL).dataType(DataType.Array).elementType(DataType.VarChar)
                .maxCapacity(ACL_MAX_ENTRIES).maxLength(PRINCIPAL_MAX_BYTES).build());
        schema.addField(AddFieldReq.builder().fieldName(META).dataType(DataType.JSON).build());
        schema.addField(AddFieldReq.builder().fieldName(CITATION).dataType(DataType.JSON).build());
        schema.addFunction(CreateCollectionReq.Function.builder().name(BM25_FUNCTION).functionType(FunctionType.BM25)
                .inputFieldNames(List.of(TEXT)).outputFieldNames(List.of(SPARSE)).build());
        return schema;
    }

    /** HNSW with cosine on the dense field; an inverted index scored by BM25 on the sparse field. */
    static List<IndexParam> chunkIndexes(IndexProperties.Milvus settings) {
        return List.of(
                IndexParam.builder().fieldName(DENSE).indexType(IndexParam.IndexType.HNSW)
                        .metricType(IndexParam.MetricType.COSINE)
                        .extraParams(Map.of("M", settings.hnswM(), "efConstruction", settings.hnswEfConstruction()))
                        .build(),
                IndexParam.builder().fieldName(SPARSE).indexType(IndexParam.IndexType.SPARSE_INVERTED_INDEX)
                        .metricType(IndexParam.MetricType.BM25)
                        .extraParams(Map.of("inverted_index_algo", "DAAT_MAXSCORE", "bm25_k1", 1.2, "bm25_b", 0.75))
                        .build());
    }

    /** The schema of the documents collection. */
    static CreateCollectionReq.CollectionSchema documentsSchema() {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
        schema.addField(AddFieldReq.builder().fieldName(DOC_KEY).dataType(DataType.VarChar)
                .maxLength(DOC_KEY_MAX_BYTES).isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName(TENANT).dataType(DataType.VarChar)
                .maxLength(TENANT_MAX_LENGTH).build());
        schema.addField(AddFieldReq.builder().fieldName(DOCUMENT_ID).dataType(DataType.VarChar)
                .maxLength(DOCUMENT_ID_MAX_BYTES).build());
        schema.addField(AddFieldReq.builder().fieldName(VERSION).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(STATE).dataType(DataType.VarChar).maxLength(16).build());
        schema.addField(AddFieldReq.builder().fieldName(INFO).dataType(DataType.JSON).build());
        schema.addField(AddFieldReq.builder().fieldName(SLOT).dataType(DataType.FloatVector)
                .dimension(SLOT_DIMENSION).build());
        return schema;
    }

    /** A flat index on the unused vector: Milvus loads only collections whose vectors are indexed. */
    static List<IndexParam> documentsIndexes() {
        return List.of(IndexParam.builder().fieldName(SLOT).indexType(IndexParam.IndexType.FLAT)
                .metricType(IndexParam.MetricType.L2).build());
    }

    /**
     * Milvus analyzer parameters. The default mixes jieba segmentation for Chinese with English lower-casing,
     * stemming and stop words, so that one chunk can be found by words of either language.
     */
    static Map<String, Object> analyzerParams(IndexProperties.TextAnalyzer analyzer) {
        return switch (analyzer) {
            case CJK_ENGLISH -> {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("tokenizer", "jieba");
                params.put("filter", List.of("cnalphanumonly", "lowercase",
                        Map.of("type", "stemmer", "language", "english"),
                        Map.of("type", "stop", "stop_words", List.of("_english_"))));
                yield params;
            }
            case CHINESE -> Map.of("type", "chinese");
            case ENGLISH -> Map.of("type", "english");
            case STANDARD -> Map.of("type", "standard");
        };
    }

    /**
     * The rows of an upsert batch, one per chunk.
     *
     * @throws ContractViolationException naming {@code chunks[i].vector} when a vector is all zeros, which has no
     *         direction for cosine similarity
     */
    static List<JsonObject> chunks(ChunkBatch batch) {
        JsonArray acl = new JsonArray();
        batch.acl().forEach(acl::add);
        JsonObject meta = new JsonObject();
        batch.metadata().forEach(meta::addProperty);
        List<JsonObject> rows = new ArrayList<>(batch.chunks().size());
        for (Chunk chunk : batch.chunks()) {
            JsonObject row = new JsonObject();
            row.addProperty(CHUNK_ID, chunk.id());
            row.addProperty(TENANT, batch.tenant());
            row.addProperty(DOCUMENT_ID, batch.documentId());
            row.addProperty(VERSION, batch.version());
            row.addProperty(ORDINAL, chunk.ordinal());
            row.addProperty(TEXT, chunk.text());
            row.add(DENSE, vector("chunks[" + chunk.ordinal() + "].vector", chunk.vector()));
            row.add(ACL, acl.deepCopy());
            row.add(META, meta.deepCopy());
            row.add(CITATION, citation(batch, chunk));
            rows.add(row);
        }
        return rows;
    }

    /** The documents-collection row of a document after a batch. */
    static JsonObject documentRow(ChunkBatch batch, String state, int chunkCount) {
        JsonObject info = new JsonObject();
        info.addProperty("chunks", chunkCount);
        return slotRow(docKey(batch.tenant(), batch.documentId()), batch.tenant(), batch.documentId(),
                batch.version(), state, info);
    }

    /** The documents-collection row that records the index's embedding. */
    static JsonObject embeddingRow(EmbeddingInfo embedding) {
        JsonObject info = new JsonObject();
        info.addProperty("model", embedding.model());
        info.addProperty("dimension", embedding.dimension());
        return slotRow(EMBEDDING_KEY, "", "", 0, EMBEDDING, info);
    }

    /**
     * @param entity a documents-collection row as Milvus returned it
     * @return the embedding that an {@link #embeddingRow} recorded
     */
    static EmbeddingInfo embeddingOf(Map<String, Object> entity) {
        JsonObject info = json(entity.get(INFO)).getAsJsonObject();
        return new EmbeddingInfo(info.get("model").getAsString(), info.get("dimension").getAsInt());
    }

    /** @return the chunk count a {@link #documentRow} recorded */
    static int chunkCountOf(Map<String, Object> entity) {
        JsonElement info = json(entity.get(INFO));
        return info.isJsonObject() && info.getAsJsonObject().has("chunks")
                ? info.getAsJsonObject().get("chunks").getAsInt() : 0;
    }

    /**
     * @param entity a chunk row as a search returned it, with {@link #HIT_FIELDS}
     * @param score the hit's score
     * @param highlights the matched stretches of the text
     * @return the hit
     */
    static ChunkHit hit(Map<String, Object> entity, float score, List<Highlight> highlights) {
        JsonObject citation = json(entity.get(CITATION)).getAsJsonObject();
        List<String> headings = new ArrayList<>();
        if (citation.has("headings")) {
            citation.getAsJsonArray("headings").forEach(h -> headings.add(h.getAsString()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonElement meta = json(entity.get(META));
        if (meta.isJsonObject()) {
            meta.getAsJsonObject().entrySet().forEach(e -> metadata.put(e.getKey(), e.getValue().getAsString()));
        }
        return new ChunkHit(
                (String) entity.get(CHUNK_ID),
                (String) entity.get(DOCUMENT_ID),
                ((Number) entity.get(VERSION)).longValue(),
                ((Number) entity.get(ORDINAL)).intValue(),
                optionalString(citation, "title"),
                optionalString(citation, "source"),
                (String) entity.get(TEXT),
                headings,
                citation.has("page") && !citation.get("page").isJsonNull() ? citation.get("page").getAsInt() : null,
                citation.get("start").getAsInt(),
                citation.get("end").getAsInt(),
                score,
                metadata,
                highlights);
    }

    /** @return the ACL of a chunk row */
    static List<String> aclOf(Map<String, Object> entity) {
        Object acl = entity.get(ACL);
        List<String> principals = new ArrayList<>();
        if (acl instanceof List<?> list) {
            for (Object principal : list) {
                principals.add(String.valueOf(principal));
            }
        }
        return principals;
    }

    /** A JSON value as Milvus's client returns it: parsed already, or as text. */
    static JsonElement json(Object value) {
        if (value == null) {
            return JsonNull.INSTANCE;
        }
        if (value instanceof JsonElement element) {
            return element;
        }
        return JsonParser.parseString(value.toString());
    }

    private static JsonObject citation(ChunkBatch batch, Chunk chunk) {
        JsonObject citation = new JsonObject();
        if (batch.title() != null) {
            citation.addProperty("title", batch.title());
        }
        if (batch.source() != null) {
            citation.addProperty("source", batch.source());
        }
        JsonArray headings = new JsonArray();
        chunk.headingPath().forEach(headings::add);
        citation.add("headings", headings);
        if (chunk.page() != null) {
            citation.addProperty("page", chunk.page());
        }
        citation.addProperty("start", chunk.startOffset());
        citation.addProperty("end", chunk.endOffset());
        return citation;
    }

    private static JsonObject slotRow(String key, String tenant, String documentId, long version, String state,
            JsonObject info) {
        JsonObject row = new JsonObject();
        row.addProperty(DOC_KEY, key);
        row.addProperty(TENANT, tenant);
        row.addProperty(DOCUMENT_ID, documentId);
        row.addProperty(VERSION, version);
        row.addProperty(STATE, state);
        row.add(INFO, info);
        JsonArray slot = new JsonArray();
        slot.add(1f);
        slot.add(0f);
        row.add(SLOT, slot);
        return row;
    }

    private static JsonArray vector(String field, float[] vector) {
        JsonArray array = new JsonArray(vector.length);
        boolean allZero = true;
        for (float value : vector) {
            array.add(value);
            allZero &= value == 0f;
        }
        if (allZero) {
            throw new ContractViolationException(field, "must not be all zeros: it has no direction to compare");
        }
        return array;
    }

    private static String optionalString(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
