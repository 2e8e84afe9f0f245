package io.kb.retrieval.rerank;

import java.time.Duration;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reranking stage ({@code kb.retrieval.rerank}): off unless a type is set. A wrong value stops the start with a
 * message that names the setting.
 *
 * @param type       {@code none} (the default: no stage, no cost) or {@code triton} (a cross-encoder in Triton)
 * @param candidates how many of the best fused hits are reranked (raised to the request's {@code topK}); the answer
 *                   is cut from these
 * @param timeout    the longest a reranking may take; past it the search answers in fused order. It is the gRPC
 *                   deadline of the Triton calls and also their {@code timeout} request parameter, so that Triton
 *                   drops a request that waited too long in its queue
 * @param circuit    when to stop calling a failing reranker
 * @param triton     the Triton-hosted model, for type {@code triton}
 */
@ConfigurationProperties("kb.retrieval.rerank")
public record RerankProperties(
        @DefaultValue("none") Type type,
        @DefaultValue("50") int candidates,
        @DefaultValue("1s") Duration timeout,
        @DefaultValue Circuit circuit,
        Triton triton) {

    /** Checks the settings, also when built outside configuration binding. */
    public RerankProperties {
        type = type == null ? Type.NONE : type;
        if (candidates < 1 || candidates > 1000) {
            throw new IllegalArgumentException("kb.retrieval.rerank.candidates must be between 1 and 1000, was "
                    + candidates);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("kb.retrieval.rerank.timeout must be at least 1ms, was " + timeout);
        }
        circuit = circuit == null ? Circuit.DEFAULTS : circuit;
        if (type == Type.TRITON && triton == null) {
            throw new IllegalArgumentException("kb.retrieval.rerank.type is triton: set kb.retrieval.rerank.triton.target "
                    + "and kb.retrieval.rerank.triton.model");
        }
    }

    /** The reranker implementations. */
    public enum Type {
        /** No reranking stage. */
        NONE,
        /** {@code TritonReranker}: a cross-encoder served by Triton Inference Server over KServe v2 gRPC. */
        TRITON
    }

    /**
     * The reranker's circuit breaker ({@code kb.retrieval.rerank.circuit}): once enough of the last calls failed, the
     * reranker is not called for a while and searches answer in fused order at once; then a few probe calls decide
     * whether it is back.
     *
     * @param failureRateThreshold the percentage of failed calls (errors, timeouts, malformed answers) among the last
     *                             {@code window} that opens the circuit
     * @param window               how many of the last calls are counted
     * @param minimumCalls         how many calls must have been counted before the rate is judged
     * @param openFor              how long an open circuit lets no call through
     * @param halfOpenCalls        the probe calls let through after {@code openFor}; the circuit closes again when
     *                             their failure rate is under the threshold, and opens again otherwise
     */
    public record Circuit(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int window,
            @DefaultValue("10") int minimumCalls,
            @DefaultValue("30s") Duration openFor,
            @DefaultValue("2") int halfOpenCalls) {

        static final Circuit DEFAULTS = new Circuit(50, 20, 10, Duration.ofSeconds(30), 2);

        /** Checks the settings. */
        public Circuit {
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw new IllegalArgumentException("kb.retrieval.rerank.circuit.failure-rate-threshold must be above 0 "
                        + "and at most 100, was " + failureRateThreshold);
            }
            if (window < 1 || minimumCalls < 1 || halfOpenCalls < 1) {
                throw new IllegalArgumentException("kb.retrieval.rerank.circuit.window, minimum-calls and "
                        + "half-open-calls must be at least 1");
            }
            if (openFor == null || openFor.toMillis() < 1) {
                throw new IllegalArgumentException("kb.retrieval.rerank.circuit.open-for must be at least 1ms, was "
                        + openFor);
            }
        }
    }

    /**
     * A cross-encoder hosted in Triton ({@code kb.retrieval.rerank.triton}), called with the query and the passages
     * as text: a model that tokenizes by itself, such as an ensemble of a Python tokenizer step and the bge-reranker
     * ONNX or TensorRT model. Every request pairs the query with each passage row by row: two BYTES inputs of shape
     * {@code [rows, 1]}, so the model needs a batch dimension ({@code max_batch_size > 0}) and Triton's dynamic
     * batcher can merge the requests of concurrent searches. The output is one FP32 relevance logit per row,
     * {@code [rows, 1]} or {@code [rows]}.
     *
     * @param target       the server's gRPC endpoint, {@code host:port} (Triton's default gRPC port is 8001)
     * @param tls          whether the channel uses TLS, trusting the JVM's certificate authorities
     * @param model        the model's name in Triton's model repository
     * @param modelVersion the version to call; empty lets Triton choose by the model's version policy
     * @param queryInput   the BYTES input tensor of the query, repeated on every row
     * @param passageInput the BYTES input tensor of the passages, one chunk text per row
     * @param output       the FP32 output tensor of the scores
     * @param maxBatchSize the most rows in one request, at most the model's {@code max_batch_size}; more candidates
     *                     go in several requests sent at once
     */
    public record Triton(
            String target,
            @DefaultValue("false") boolean tls,
            String model,
            @DefaultValue("") String modelVersion,
            @DefaultValue("query") String queryInput,
            @DefaultValue("passage") String passageInput,
            @DefaultValue("logits") String output,
            @DefaultValue("16") int maxBatchSize) {

        /** Checks the settings; the messages name the setting. */
        @ConstructorBinding
        public Triton {
            if (target == null || !target.matches("[^\\s:]+:\\d{1,5}")) {
                throw new IllegalArgumentException("kb.retrieval.rerank.triton.target must be host:port, was '"
                        + target + "'");
            }
            if (model == null || model.isBlank()) {
                throw new IllegalArgumentException("kb.retrieval.rerank.triton.model must name a model in Triton's "
                        + "repository");
            }
            modelVersion = modelVersion == null ? "" : modelVersion.strip();
            queryInput = requireName("query-input", queryInput, "query");
            passageInput = requireName("passage-input", passageInput, "passage");
            output = requireName("output", output, "logits");
            if (queryInput.equals(passageInput)) {
                throw new IllegalArgumentException("kb.retrieval.rerank.triton.query-input and passage-input must be "
                        + "two tensors, both were '" + queryInput + "'");
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException("kb.retrieval.rerank.triton.max-batch-size must be at least 1, was "
                        + maxBatchSize);
            }
        }

        /** The required settings; everything else takes its default. */
        public Triton(String target, String model) {
            this(target, false, model, "", "query", "passage", "logits", 16);
        }

        private static String requireName(String setting, String value, String fallback) {
            if (value == null) {
                return fallback;
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("kb.retrieval.rerank.triton." + setting + " must name a tensor");
            }
            return value;
        }

        /** Opens the channel to {@link #target()}; nothing connects until the first call. */
        public ManagedChannel openChannel() {
            ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
            return Grpc.newChannelBuilder(target, credentials).userAgent("kb-retrieval-service").build();
        }
    }
}
