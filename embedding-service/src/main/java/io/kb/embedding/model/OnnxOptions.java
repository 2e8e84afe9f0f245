package io.kb.embedding.model;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How {@link OnnxEmbeddingModel} runs inference ({@code kb.embedding.onnx}).
 *
 * @param inference      {@code per-text}: one ONNX call per text, the texts of a call run in parallel; a
 *                       text's vector never depends on the other texts. {@code batched}: one ONNX call per
 *                       group of texts padded to a common length; faster, but the quantized bge models scale
 *                       their activations per call, so a vector shifts slightly (cosine above 0.99) with
 *                       the texts it shares a call with
 * @param tokenBudget    batched only: the most padded tokens (texts times longest text) in one ONNX call;
 *                       at least 512
 * @param intraOpThreads threads ONNX Runtime uses inside one call; 0 lets it choose (one per core)
 * @param parallelism    per-text only: how many ONNX calls of one {@code embed} run at once; 0 means one
 *                       per available processor
 * @param allowSpinning  whether ONNX Runtime's threads busy-wait for work between and inside calls instead of
 *                       sleeping. Spinning saves microseconds per call on a machine of its own, but burns cores
 *                       that the services beside the model need (a parser, an indexer, a broker), so it is off
 */
public record OnnxOptions(
        @DefaultValue("per-text") Inference inference,
        @DefaultValue("8192") @Min(512) int tokenBudget,
        @DefaultValue("0") @Min(0) int intraOpThreads,
        @DefaultValue("0") @Min(0) int parallelism,
        @DefaultValue("false") boolean allowSpinning) {

    /** The defaults: per-text inference, an 8192-token budget, ONNX Runtime's and the JVM's thread counts, no spinning. */
    public static final OnnxOptions DEFAULTS = new OnnxOptions(Inference.PER_TEXT, 8192, 0, 0, false);

    /** Checks the ranges, also when built outside configuration binding. */
    public OnnxOptions {
        if (inference == null) {
            throw new IllegalArgumentException("kb.embedding.onnx.inference must be per-text or batched");
        }
        if (tokenBudget < BundledOnnxModel.MAX_TOKENS) {
            throw new IllegalArgumentException("kb.embedding.onnx.token-budget must be at least "
                    + BundledOnnxModel.MAX_TOKENS + ", was " + tokenBudget);
        }
        if (intraOpThreads < 0 || parallelism < 0) {
            throw new IllegalArgumentException("kb.embedding.onnx.intra-op-threads and parallelism must not be negative");
        }
    }

    /** The same options with another inference mode. */
    public OnnxOptions withInference(Inference mode) {
        return new OnnxOptions(mode, tokenBudget, intraOpThreads, parallelism, allowSpinning);
    }

    /** How texts reach the model. */
    public enum Inference {
        /** One ONNX call per text (per window of a long text); calls of one embed run in parallel. */
        PER_TEXT,
        /** One ONNX call per length-sorted group of texts within the token budget. */
        BATCHED
    }
}
