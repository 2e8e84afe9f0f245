package io.kb.retrieval.index;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.kb.retrieval.index.lucene.LuceneIndexSettings;
import io.kb.retrieval.index.lucene.VectorEncoding;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chunk index's settings ({@code kb.retrieval.index}); a wrong value stops the start with a
 * message that names the setting.
 *
 * @param engine which {@link ChunkIndex} implementation to run: {@code lucene}, the embedded index
 *        on local disk, or {@code milvus}, a Milvus 2.6 server or cluster
 * @param lucene the embedded Lucene index
 * @param milvus the Milvus index
 */
@Validated
@ConfigurationProperties("kb.retrieval.index")
public record IndexProperties(
        @DefaultValue("lucene") @NotNull Engine engine,
        @DefaultValue @Valid Lucene lucene,
        @DefaultValue @Valid Milvus milvus) {

    /** The chunk index implementations. */
    public enum Engine {
        /** {@code LuceneChunkIndex}: one Lucene index in a local directory. */
        LUCENE,
        /** {@code MilvusChunkIndex}: collections on a Milvus server, reached over gRPC. */
        MILVUS
    }

    /**
     * The embedded Lucene index ({@code kb.retrieval.index.lucene}).
     *
     * @param path the directory of the index, created when missing; relative paths start at the
     *        working directory. Required for the {@code lucene} engine; the {@code local} profile sets
     *        {@code ${kb.data-dir:.kb/data}/retrieval-service/index}
     * @param hnswMaxConn neighbours per node of the HNSW vector graph: more gives better recall, a
     *        bigger index and slower writes
     * @param hnswBeamWidth candidates considered per node while building the HNSW graph: more gives a
     *        better graph and slower writes
     * @param vectorEncoding what the HNSW graph compares: {@code float32} (the default, exact), {@code int8} or
     *        {@code int4} (quantized codes beside the 32-bit vectors, which re-score the hits: a bigger index,
     *        cheaper comparisons, a little recall lost). Applies to segments written from then on
     * @param ramBufferMb MiB the writer buffers before it flushes a segment (1 to 2048); matters for
     *        batches bigger than the buffer, since every apply commits
     * @param mergeWorkers threads that build one merged HNSW graph together (1 to 64)
     * @param searchEf nearest neighbours a dense search of a one-segment index collects from its HNSW graph before
     *        the best are returned (1 to 10000); with n segments divided by the square root of n, and never fewer than
     *        the hits asked for: the search's depth, apart from how many hits it returns
     * @param queryCacheMb MiB of the query cache that holds each caller's access filter (0 to 4096, 0 for none)
     * @param queryCacheQueries queries the query cache holds at most (1 to 100000)
     */
    public record Lucene(
            Path path,
            @DefaultValue("16") @Min(1) @Max(512) int hnswMaxConn,
            @DefaultValue("100") @Min(1) @Max(3200) int hnswBeamWidth,
            @DefaultValue("float32") @NotNull VectorEncoding vectorEncoding,
            @DefaultValue("16") @DecimalMin("1") @DecimalMax("2048") double ramBufferMb,
            @DefaultValue("1") @Min(1) @Max(64) int mergeWorkers,
            @DefaultValue("" + LuceneIndexSettings.DEFAULT_SEARCH_EF) @Min(1) @Max(10000) int searchEf,
            @DefaultValue("" + LuceneIndexSettings.DEFAULT_QUERY_CACHE_MB) @Min(0) @Max(4096) int queryCacheMb,
            @DefaultValue("" + LuceneIndexSettings.DEFAULT_QUERY_CACHE_QUERIES) @Min(1) @Max(100000)
            int queryCacheQueries) {

        /** These settings as the index takes them. */
        public LuceneIndexSettings settings() {
            return new LuceneIndexSettings(hnswMaxConn, hnswBeamWidth, vectorEncoding, ramBufferMb, mergeWorkers,
                    searchEf, queryCacheMb, queryCacheQueries);
        }
    }

    /**
     * The Milvus index ({@code kb.retrieval.index.milvus}). The service connects on first use, not at start-up, so
     * it starts while Milvus is down and reports it in readiness.
     *
     * @param uri the Milvus proxy, such as {@code http://milvus:19530}; {@code https} for TLS
     * @param token the credentials, {@code user:password} or an API key; empty when Milvus has no authentication.
     *        Set it from the environment ({@code KB_MILVUS_TOKEN} in the cluster profile); it is never logged
     * @param database the Milvus database; empty means Milvus's {@code default}. It must exist
     * @param collectionPrefix the start of every collection name: {@code <prefix>_documents} holds document versions,
     *        {@code <prefix>_chunks_<model>_<dimension>} the chunks of one embedding model
     * @param consistencyLevel how fresh searches and counts are: {@code strong} (the default) sees every finished
     *        write, as the chunk index contract demands; {@code bounded} or {@code eventually} answer sooner from data
     *        that may be a few seconds old. Version checks before a write are always {@code strong}
     * @param connectTimeout how long the first connection may take before the call fails
     * @param requestTimeout the deadline of every call to Milvus, retries included
     * @param analyzer how the BM25 function splits chunk text into terms
     * @param hnswM neighbours per node of the HNSW graph of the dense field
     * @param hnswEfConstruction candidates considered per node while building the HNSW graph
     * @param searchEf candidates considered per dense search (raised to the number of hits asked for)
     */
    public record Milvus(
            @DefaultValue("http://127.0.0.1:19530") @NotNull URI uri,
            @DefaultValue("") String token,
            @DefaultValue("") @Pattern(regexp = "^$|^[A-Za-z_][A-Za-z0-9_]{0,63}$") String database,
            @DefaultValue("kb") @NotNull @Pattern(regexp = "^[A-Za-z_][A-Za-z0-9_]{0,63}$") String collectionPrefix,
            @DefaultValue("strong") @NotNull Consistency consistencyLevel,
            @DefaultValue("5s") @NotNull Duration connectTimeout,
            @DefaultValue("10s") @NotNull Duration requestTimeout,
            @DefaultValue("cjk-english") @NotNull TextAnalyzer analyzer,
            @DefaultValue("16") @Min(2) @Max(2048) int hnswM,
            @DefaultValue("200") @Min(1) @Max(65535) int hnswEfConstruction,
            @DefaultValue("64") @Min(1) @Max(65535) int searchEf) {

        /** Whether a token is set. */
        public boolean hasToken() {
            return token != null && !token.isEmpty();
        }

        /** Shows whether a token is set, never the token. */
        @Override
        public String toString() {
            return "Milvus[uri=" + uri + ", token=" + (hasToken() ? "(set)" : "(none)") + ", database=" + database
                    + ", collectionPrefix=" + collectionPrefix + ", consistencyLevel=" + consistencyLevel
                    + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", analyzer="
                    + analyzer + ", hnswM=" + hnswM + ", hnswEfConstruction=" + hnswEfConstruction + ", searchEf="
                    + searchEf + "]";
        }
    }

    /** Milvus consistency levels, weakest last. */
    public enum Consistency {
        /** Every write finished before the request is visible. */
        STRONG,
        /** This client's own writes are visible. */
        SESSION,
        /** Writes older than a few seconds are visible. */
        BOUNDED,
        /** No guarantee; the fastest. */
        EVENTUALLY
    }

    /** Milvus analyzers for the BM25 function of the chunk text. */
    public enum TextAnalyzer {
        /**
         * Chinese and English in one text: jieba segmentation, lower case, English stemming and stop words; the
         * default, like the Lucene index's analyzer.
         */
        CJK_ENGLISH,
        /** Milvus's built-in {@code chinese} analyzer. */
        CHINESE,
        /** Milvus's built-in {@code english} analyzer: stemming and stop words. */
        ENGLISH,
        /** Milvus's built-in {@code standard} analyzer: words split on Unicode rules, lower case. */
        STANDARD
    }
}
