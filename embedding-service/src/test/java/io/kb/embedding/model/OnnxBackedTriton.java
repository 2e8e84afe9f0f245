package io.kb.embedding.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.KServe.InferParameter;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ModelReadyResponse;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;
import io.kb.kserve.grpc.KServe.ServerReadyResponse;

/**
 * A stand-in for Triton Inference Server that hosts the bundled ONNX model behind the KServe v2 gRPC service,
 * for tests without a Triton: {@code ModelInfer} for one model, in the configured input style, answering
 * in {@code raw_output_contents} as Triton does ({@code [batch, seq, dim]} last hidden state for token input,
 * {@code [batch, dim]} pooled vectors for text input), plus {@code ServerReady} and {@code ModelReady}.
 *
 * <p>It checks every request against the model's configuration field by field (model name and version,
 * tensor names, datatypes and shapes, one raw content per input, the requested output, the {@code timeout}
 * parameter) and refuses a mismatch with INVALID_ARGUMENT, as Triton does; an unknown model gets NOT_FOUND.
 * It can be told to fail every call with a status or to never answer.
 *
 * <p>Each sequence of a batch runs through ONNX on its own, trimmed to its attention mask: the bundled
 * models are dynamically quantized with one activation scale per call, so running a padded batch as one
 * call would make a text's vector depend on its neighbours (see {@link OnnxEmbeddingModel}). A real
 * deployment serves an unquantized or FP16 export, where padding and batching do not change the result.
 * Padding positions of the hidden state are zeros here; the client reads only the first token.
 */
public final class OnnxBackedTriton extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase implements AutoCloseable {

    private final OnnxEmbeddingModel onnx;
    private final TritonOptions.Model hosted;
    private final long expectedTimeoutMicros;
    private final Server server;
    private final String inProcessName;

    private volatile Status failure;
    private volatile boolean hang;
    private volatile boolean serverReady = true;
    private volatile boolean modelReady = true;
    private final AtomicInteger inferCalls = new AtomicInteger();
    private final List<ModelInferRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();

    private OnnxBackedTriton(OnnxEmbeddingModel onnx, TritonOptions.Model hosted, long expectedTimeoutMicros,
            boolean onLocalPort) {
        this.onnx = onnx;
        this.hosted = hosted;
        this.expectedTimeoutMicros = expectedTimeoutMicros;
        this.inProcessName = "triton-" + UUID.randomUUID();
        try {
            this.server = (onLocalPort
                    ? Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(this)
                    : InProcessServerBuilder.forName(inProcessName).directExecutor().addService(this))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts an in-process server; connect with {@link #channel()}.
     *
     * @param onnx                  the model to host; not closed by the server
     * @param hosted                the model's configuration, which requests must match
     * @param expectedTimeoutMicros the {@code timeout} parameter every request must carry
     */
    public static OnnxBackedTriton inProcess(OnnxEmbeddingModel onnx, TritonOptions.Model hosted, long expectedTimeoutMicros) {
        return new OnnxBackedTriton(onnx, hosted, expectedTimeoutMicros, false);
    }

    /** Starts a plaintext gRPC server on a free local port, for clients that dial {@code host:port}. */
    public static OnnxBackedTriton onLocalPort(OnnxEmbeddingModel onnx, TritonOptions.Model hosted, long expectedTimeoutMicros) {
        return new OnnxBackedTriton(onnx, hosted, expectedTimeoutMicros, true);
    }

    /**
     * bge-small-en-v1.5 as a Triton model taking token ids, with the tensor names of its ONNX export.
     *
     * @param modelName      the model's name in Triton
     * @param datatype       the datatype of the token inputs
     * @param maxBatchSize   the most sequences per request
     * @param batchDimension whether the model has a batch dimension
     */
    public static TritonOptions.Model tokenInput(String modelName, TritonOptions.TokenDatatype datatype,
            int maxBatchSize, boolean batchDimension) {
        return new TritonOptions.Model("bge-small-en-v1.5", modelName, "", TritonOptions.InputStyle.TOKENS,
                "bge-small-en-v1.5", 384, 512, batchDimension, maxBatchSize, "TEXT", "input_ids", "attention_mask", "",
                datatype, "last_hidden_state", TritonOptions.Pooling.CLS);
    }

    /** bge-small-en-v1.5 as a Triton ensemble taking texts ({@code TEXT}) and answering pooled vectors. */
    public static TritonOptions.Model textInput(String modelName, int maxBatchSize) {
        return new TritonOptions.Model("bge-small-en-v1.5", modelName, "", TritonOptions.InputStyle.TEXT, null, 384,
                512, true, maxBatchSize, "TEXT", "input_ids", "attention_mask", "", TritonOptions.TokenDatatype.INT64,
                "embedding", TritonOptions.Pooling.NONE);
    }

    /** A new channel to the in-process server; the caller shuts it down. */
    public ManagedChannel channel() {
        return InProcessChannelBuilder.forName(inProcessName).directExecutor().build();
    }

    /** The port of a server started with {@link #onLocalPort}. */
    public int port() {
        return server.getPort();
    }

    /** Fails every inference call with this status from now on. */
    public void failWith(Status status) {
        this.failure = status;
    }

    /** Accepts inference calls from now on and never answers them. */
    public void hang() {
        this.hang = true;
    }

    /** Sets what {@code ServerReady} answers. */
    public void serverReady(boolean ready) {
        this.serverReady = ready;
    }

    /** Sets what {@code ModelReady} answers for the hosted model. */
    public void modelReady(boolean ready) {
        this.modelReady = ready;
    }

    /** Back to serving every call, ready, with no requests or violations recorded. */
    public void reset() {
        failure = null;
        hang = false;
        serverReady = true;
        modelReady = true;
        inferCalls.set(0);
        requests.clear();
        violations.clear();
    }

    /** The inference requests received, in order. */
    public List<ModelInferRequest> requests() {
        return List.copyOf(requests);
    }

    /** Why requests were refused as malformed, if any were. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> response) {
        response.onNext(ServerReadyResponse.newBuilder().setReady(serverReady).build());
        response.onCompleted();
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> response) {
        boolean known = request.getName().equals(hosted.modelName()) && request.getVersion().equals(hosted.modelVersion());
        response.onNext(ModelReadyResponse.newBuilder().setReady(known && modelReady).build());
        response.onCompleted();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> response) {
        inferCalls.incrementAndGet();
        requests.add(request);
        if (hang) {
            return;
        }
        if (failure != null) {
            response.onError(failure.asRuntimeException());
            return;
        }
        if (!request.getModelName().equals(hosted.modelName())) {
            response.onError(Status.NOT_FOUND.withDescription("Request for unknown model: '" + request.getModelName()
                    + "' is not found").asRuntimeException());
            return;
        }
        try {
            ModelInferResponse answer = hosted.inputStyle() == TritonOptions.InputStyle.TOKENS
                    ? tokens(request) : texts(request);
            response.onNext(answer);
            response.onCompleted();
        } catch (IllegalArgumentException e) {
            violations.add(e.getMessage());
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    /** Checks what every request must hold, whatever its input style. */
    private void checkCommon(ModelInferRequest request, List<String> inputNames) {
        require(request.getModelVersion().equals(hosted.modelVersion()), "model_version '" + request.getModelVersion()
                + "', expected '" + hosted.modelVersion() + "'");
        InferParameter timeout = request.getParametersMap().get(InferParameters.TIMEOUT_MICROSECONDS);
        require(timeout != null && timeout.getInt64Param() == expectedTimeoutMicros,
                "timeout parameter " + timeout + ", expected int64_param " + expectedTimeoutMicros);
        require(request.getInputsList().stream().map(InferInputTensor::getName).toList().equals(inputNames),
                "inputs " + request.getInputsList().stream().map(InferInputTensor::getName).toList() + ", expected " + inputNames);
        require(request.getRawInputContentsCount() == request.getInputsCount(), "raw_input_contents has "
                + request.getRawInputContentsCount() + " entries for " + request.getInputsCount() + " inputs");
        require(request.getInputsList().stream().noneMatch(InferInputTensor::hasContents),
                "an input sets contents although raw_input_contents is used");
        require(request.getOutputsCount() == 1 && request.getOutputs(0).getName().equals(hosted.output()),
                "requested outputs " + request.getOutputsList() + ", expected only " + hosted.output());
    }

    private ModelInferResponse tokens(ModelInferRequest request) {
        List<String> names = new ArrayList<>(List.of(hosted.inputIds(), hosted.attentionMask()));
        if (!hosted.tokenTypeIds().isEmpty()) {
            names.add(hosted.tokenTypeIds());
        }
        checkCommon(request, names);
        List<Long> shape = request.getInputs(0).getShapeList();
        require(shape.size() == (hosted.batchDimension() ? 2 : 1), "input shape " + shape);
        int batch = hosted.batchDimension() ? Math.toIntExact(shape.getFirst()) : 1;
        int seq = Math.toIntExact(shape.getLast());
        require(batch >= 1 && batch <= hosted.maxBatchSize(), "batch of " + batch + " exceeds max_batch_size "
                + hosted.maxBatchSize());
        require(seq >= 1 && seq <= hosted.maxTokens(), "sequence of " + seq + " tokens exceeds " + hosted.maxTokens());
        for (int i = 0; i < request.getInputsCount(); i++) {
            InferInputTensor input = request.getInputs(i);
            require("INT64".equals(input.getDatatype()), "input " + input.getName() + " is " + input.getDatatype()
                    + ", the model takes INT64");
            require(input.getShapeList().equals(shape), "input " + input.getName() + " has shape " + input.getShapeList()
                    + ", " + request.getInputs(0).getName() + " has " + shape);
            require(request.getRawInputContents(i).size() == batch * seq * Long.BYTES, "input " + input.getName()
                    + " holds " + request.getRawInputContents(i).size() + " bytes for shape " + shape);
        }
        long[] ids = Tensors.decodeInt64(request.getRawInputContents(0));
        long[] mask = Tensors.decodeInt64(request.getRawInputContents(1));
        int dim = hosted.dimension();
        float[] hidden = new float[batch * seq * dim];
        for (int b = 0; b < batch; b++) {
            int length = 0;
            while (length < seq && mask[b * seq + length] == 1L) {
                length++;
            }
            require(length > 0, "sequence " + b + " has an empty attention mask");
            long[] rowIds = new long[length];
            System.arraycopy(ids, b * seq, rowIds, 0, length);
            long[] ones = new long[length];
            Arrays.fill(ones, 1L);
            float[] row = onnx.lastHiddenState(rowIds, ones, 1, length);
            System.arraycopy(row, 0, hidden, b * seq * dim, length * dim);
        }
        List<Long> outShape = hosted.batchDimension() ? List.of((long) batch, (long) seq, (long) dim)
                : List.of((long) seq, (long) dim);
        return answer(request, outShape, hidden);
    }

    private ModelInferResponse texts(ModelInferRequest request) {
        checkCommon(request, List.of(hosted.textInput()));
        InferInputTensor input = request.getInputs(0);
        require("BYTES".equals(input.getDatatype()), "input " + input.getName() + " is " + input.getDatatype()
                + ", the model takes BYTES");
        List<String> texts = Tensors.decodeStrings(request.getRawInputContents(0));
        List<Long> expected = hosted.batchDimension() ? List.of((long) texts.size(), 1L) : List.of(1L);
        require(input.getShapeList().equals(expected), "input shape " + input.getShapeList() + " for " + texts.size()
                + " texts, expected " + expected);
        require(texts.size() <= hosted.maxBatchSize(), "batch of " + texts.size() + " exceeds max_batch_size");
        int dim = hosted.dimension();
        float[] pooled = new float[texts.size() * dim];
        List<float[]> vectors = onnx.embed(texts);
        for (int t = 0; t < texts.size(); t++) {
            System.arraycopy(vectors.get(t), 0, pooled, t * dim, dim);
        }
        List<Long> outShape = hosted.batchDimension() ? List.of((long) texts.size(), (long) dim) : List.of((long) dim);
        return answer(request, outShape, pooled);
    }

    private ModelInferResponse answer(ModelInferRequest request, List<Long> shape, float[] data) {
        ByteString raw = Tensors.encodeFp32(data);
        return ModelInferResponse.newBuilder()
                .setModelName(hosted.modelName())
                .setModelVersion(hosted.modelVersion().isEmpty() ? "1" : hosted.modelVersion())
                .setId(request.getId())
                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(hosted.output())
                        .setDatatype("FP32").addAllShape(shape))
                .addRawOutputContents(raw)
                .build();
    }

    private static void require(boolean condition, String violation) {
        if (!condition) {
            throw new IllegalArgumentException(violation);
        }
    }

    /** How many inference calls arrived, refused ones included. */
    public int inferCalls() {
        return inferCalls.get();
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
