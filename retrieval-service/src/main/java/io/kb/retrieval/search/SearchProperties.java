package io.kb.retrieval.search;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.kb.retrieval.fusion.FusionMethod;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Hybrid search: how candidates are gathered and fused.
 *
 * @param embeddingUrl     base URL of embedding-service, which embeds queries with the knowledge base's model
 * @param embeddingTimeout time allowed to embed a query; past it a hybrid search goes on with BM25 alone
 * @param candidates       hits taken from each retriever before fusion; a request that wants more takes its top k,
 *                         or four times it when grouping by document
 * @param fusion           how the dense and BM25 lists are fused: {@code z-score} (each list's scores
 *                         standardised, then a weighted sum; the default, as it measured best: SciFact hybrid
 *                         nDCG@10 0.743 against RRF's 0.730 at 50 candidates, see docs/retrieval-quality.md),
 *                         {@code min-max} (each list's scores stretched to [0, 1], then a weighted sum) or
 *                         {@code rrf} (reciprocal rank fusion, ranks only; the one method a Milvus index runs in a
 *                         single request)
 * @param rrfK             the constant of reciprocal rank fusion: larger flattens the difference between ranks; used
 *                         by {@code rrf} only
 * @param denseWeight      weight of the dense list in the fusion
 * @param bm25Weight       weight of the BM25 list in the fusion
 * @param maxTopK          the largest top k a caller may ask for
 * @param queryInstructions by embedding model, the text put in front of a query before it is embedded for dense
 *                         retrieval (BM25 gets the query as it is), for models trained with one (e5's
 *                         {@code "query: "}, bge's {@link #BGE_QUERY_INSTRUCTIONS}). None by default: with the
 *                         bundled bge-small models the instructions changed nDCG@10 by -0.001 (SciFact, dense)
 *                         and -0.002 (CMRC 2018, hybrid), see docs/retrieval-quality.md. A model missing here, or
 *                         mapped to an empty text, embeds the query alone
 */
@Validated
@ConfigurationProperties("kb.retrieval.search")
public record SearchProperties(
        @NotNull URI embeddingUrl,
        @NotNull @DefaultValue("10s") Duration embeddingTimeout,
        @DefaultValue("50") @Min(1) @Max(1000) int candidates,
        @NotNull @DefaultValue("z-score") FusionMethod fusion,
        @DefaultValue("60") @Min(1) @Max(1000) int rrfK,
        @DefaultValue("1.0") @DecimalMin("0.0") double denseWeight,
        @DefaultValue("1.0") @DecimalMin("0.0") double bm25Weight,
        @DefaultValue("100") @Min(1) @Max(1000) int maxTopK,
        Map<String, String> queryInstructions) {

    /**
     * The instructions BAAI gives for retrieval queries of the bge v1.5 models (their model cards); v1.5 made them
     * optional, and they measured no better here, so they are not the default.
     */
    public static final Map<String, String> BGE_QUERY_INSTRUCTIONS = Map.of(
            "bge-small-en-v1.5", "Represent this sentence for searching relevant passages: ",
            "bge-small-zh-v1.5", "为这个句子生成表示以用于检索相关文章：");

    /** Without {@code query-instructions}, none. */
    public SearchProperties {
        queryInstructions = queryInstructions == null ? Map.of() : Map.copyOf(queryInstructions);
    }

    /**
     * @param model an embedding model's name
     * @return the text to put in front of a query for that model; empty for none
     */
    public String queryInstruction(String model) {
        return queryInstructions.getOrDefault(model, "");
    }

    /**
     * The settings the service runs with when only the embedding service is configured, for code that runs the
     * search stages outside the service (the retrieval evaluator of {@code kb eval retrieval}).
     *
     * @param embeddingUrl base URL of embedding-service
     * @return the defaults of every other setting
     */
    public static SearchProperties defaults(URI embeddingUrl) {
        return new SearchProperties(embeddingUrl, Duration.ofSeconds(10), 50, FusionMethod.Z_SCORE, 60, 1.0, 1.0, 100,
                null);
    }
}
