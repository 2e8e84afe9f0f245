package io.kb.retrieval.index;

import java.nio.file.Path;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The chunk index's settings ({@code kb.retrieval.index}); a wrong value stops the start with a
 * message that names the setting.
 *
 * @param engine which {@link ChunkIndex} implementation to run: {@code lucene}, the embedded index
 *        on local disk (a Milvus engine is to come)
 * @param lucene the embedded Lucene index
 */
@Validated
@ConfigurationProperties("kb.retrieval.index")
public record IndexProperties(
        @DefaultValue("lucene") @NotNull Engine engine,
        @DefaultValue @Valid Lucene lucene) {

    /** The chunk index implementations. */
    public enum Engine {
        /** {@code LuceneChunkIndex}: one Lucene index in a local directory. */
        LUCENE
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
     */
    public record Lucene(
            Path path,
            @DefaultValue("16") @Min(1) @Max(512) int hnswMaxConn,
            @DefaultValue("100") @Min(1) @Max(3200) int hnswBeamWidth) {
    }
}
