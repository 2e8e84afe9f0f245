package io.kb.retrieval.rerank.triton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferRequestedOutputTensor;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelInferResponse.InferOutputTensor;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.rerank.RerankProperties;
import io.kb.retrieval.rerank.Reranker;
import io.kb.retrieval.rerank.RerankerException;
import io.kb.retrieval.rerank.RerankerException.Failure;

/**
 * {@link Reranker} served by Triton Inference Server (or any KServe v2 gRPC server) through {@code ModelInfer}: a
 * cross-encoder that takes text, such as bge-reranker behind a Python tokenizer step in an ensemble.
 *
 * <p>Text in, not token ids: this service holds no tokenizer, and a cross-encoder's tokenizer (XLM-RoBERTa's
 * SentencePiece model for bge-reranker-v2-m3) must match the model exactly, so it belongs beside the model in
 * Triton's repository, where one deployment changes both. The request is small either way: a few KB of text
 * for 50 chunks.
 *
 * <p>The candidates go in requests of at most {@code max-batch-size} rows, all sent at once. Each row pairs the
 * query with one chunk's text: inputs {@code query-input} and {@code passage-input}, BYTES, shape {@code [rows, 1]},
 * in {@code raw_input_contents} (each element a 4-byte little-endian length and its UTF-8 bytes). The answer is read
 * from {@code raw_output_contents} (or the typed {@code fp32_contents} that other KServe servers may use) at the index
 * of the configured output: FP32, shape {@code [rows, 1]} or {@code [rows]}. Every call carries the deadline as
 * the gRPC deadline, shared by all the requests of one reranking, and as Triton's {@code timeout} parameter
 * (microseconds). Failures become a {@link RerankerException}: TIMEOUT for DEADLINE_EXCEEDED, UNAVAILABLE for
 * UNAVAILABLE and RESOURCE_EXHAUSTED, MALFORMED for an answer of the wrong name, type, shape or size, REJECTED for
 * anything else (NOT_FOUND for a model Triton does not serve, INVALID_ARGUMENT for tensors that do not match it).
 *
 * <p>The channel is owned by the caller. Thread-safe.
 */
public final class TritonReranker implements Reranker {

    private static final String BYTES = "BYTES";
    private static final String FP32 = "FP32";

    private final GRPCInferenceServiceFutureStub stub;
    private final RerankProperties.Triton model;
    private final Duration deadline;

    /**
     * @param channel  a channel to the server, see {@link RerankProperties.Triton#openChannel()}; not closed here
     * @param model    which model and how to call it
     * @param deadline the longest one reranking may take, all its requests together
     */
    public TritonReranker(Channel channel, RerankProperties.Triton model, Duration deadline) {
        this.stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
        this.model = model;
        this.deadline = deadline;
    }

    @Override
    public float[] rerank(String query, List<ChunkHit> candidates) {
        if (candidates.isEmpty()) {
            return new float[0];
        }
        Deadline due = Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS);
        long timeoutMicros = TimeUnit.NANOSECONDS.toMicros(deadline.toNanos());
        List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        for (int from = 0; from < candidates.size(); from += model.maxBatchSize()) {
            List<ChunkHit> rows = candidates.subList(from, Math.min(candidates.size(), from + model.maxBatchSize()));
            calls.add(stub.withDeadline(due).modelInfer(request(query, rows, timeoutMicros)));
        }
        float[] scores = new float[candidates.size()];
        int row = 0;
        try {
            for (ListenableFuture<ModelInferResponse> call : calls) {
                int rows = Math.min(model.maxBatchSize(), candidates.size() - row);
                System.arraycopy(scores(await(call), rows), 0, scores, row, rows);
                row += rows;
            }
        } finally {
            calls.forEach(c -> c.cancel(true));
        }
        return scores;
    }

    private ModelInferRequest request(String query, List<ChunkHit> rows, long timeoutMicros) {
        List<Long> shape = List.of((long) rows.size(), 1L);
        return ModelInferRequest.newBuilder()
                .setModelName(model.model())
                .setModelVersion(model.modelVersion())
                .putParameters(InferParameters.TIMEOUT_MICROSECONDS, InferParameters.of(timeoutMicros))
                .addInputs(InferInputTensor.newBuilder().setName(model.queryInput()).setDatatype(BYTES).addAllShape(shape))
                .addInputs(InferInputTensor.newBuilder().setName(model.passageInput()).setDatatype(BYTES).addAllShape(shape))
                .addRawInputContents(Tensors.encodeStrings(Collections.nCopies(rows.size(), query)))
                .addRawInputContents(Tensors.encodeStrings(rows.stream().map(ChunkHit::text).toList()))
                .addOutputs(InferRequestedOutputTensor.newBuilder().setName(model.output()))
                .build();
    }

    private ModelInferResponse await(ListenableFuture<ModelInferResponse> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RerankerException(Failure.UNAVAILABLE, "interrupted while waiting for " + describe(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw translate(s);
            }
            throw new RerankerException(Failure.REJECTED, "the call to " + describe() + " failed", e.getCause());
        }
    }

    private RerankerException translate(StatusRuntimeException e) {
        Status status = e.getStatus();
        String reason = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new RerankerException(Failure.TIMEOUT, describe() + " did not answer within "
                    + deadline.toMillis() + " ms (kb.retrieval.rerank.timeout)", e);
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> new RerankerException(Failure.UNAVAILABLE, describe()
                    + " is unavailable: " + reason, e);
            case NOT_FOUND -> new RerankerException(Failure.REJECTED, describe() + " is not served: "
                    + reason + "; check kb.retrieval.rerank.triton.model and model-version", e);
            case INVALID_ARGUMENT -> new RerankerException(Failure.REJECTED, describe() + " refused the request: "
                    + reason + "; check kb.retrieval.rerank.triton.query-input, passage-input, output and "
                    + "max-batch-size against the model's config.pbtxt", e);
            default -> new RerankerException(Failure.REJECTED, describe() + " failed: " + reason, e);
        };
    }

    /** Reads the configured output: one finite score per row. */
    private float[] scores(ModelInferResponse response, int rows) {
        int index = -1;
        for (int i = 0; i < response.getOutputsCount(); i++) {
            if (response.getOutputs(i).getName().equals(model.output())) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw malformed("answered without output '" + model.output() + "'; it has "
                    + response.getOutputsList().stream().map(InferOutputTensor::getName).toList());
        }
        InferOutputTensor tensor = response.getOutputs(index);
        if (!FP32.equals(tensor.getDatatype())) {
            throw malformed("output '" + model.output() + "' is " + tensor.getDatatype() + ", not FP32");
        }
        List<Long> shape = tensor.getShapeList();
        boolean fits = (shape.size() == 1 || (shape.size() == 2 && shape.get(1) == 1)) && shape.getFirst() == rows;
        if (!fits) {
            throw malformed("output '" + model.output() + "' has shape " + shape + "; expected [" + rows + ", 1] or ["
                    + rows + "], one score per candidate");
        }
        float[] values;
        if (response.getRawOutputContentsCount() > 0) {
            if (index >= response.getRawOutputContentsCount()) {
                throw malformed("answered " + response.getRawOutputContentsCount() + " raw outputs, none for output '"
                        + model.output() + "'");
            }
            try {
                values = Tensors.decodeFp32(response.getRawOutputContents(index));
            } catch (IllegalArgumentException e) {
                throw malformed("output '" + model.output() + "': " + e.getMessage());
            }
        } else {
            List<Float> typed = tensor.getContents().getFp32ContentsList();
            values = new float[typed.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = typed.get(i);
            }
        }
        if (values.length != rows) {
            throw malformed("output '" + model.output() + "' holds " + values.length + " scores for " + rows + " rows");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw malformed("output '" + model.output() + "' scores row " + i + " " + values[i]);
            }
        }
        return values;
    }

    private RerankerException malformed(String what) {
        return new RerankerException(Failure.MALFORMED, describe() + " " + what, null);
    }

    /** The model as messages name it. */
    private String describe() {
        return "Triton model '" + model.model() + "'" + (model.modelVersion().isEmpty() ? "" : " version "
                + model.modelVersion());
    }
}
