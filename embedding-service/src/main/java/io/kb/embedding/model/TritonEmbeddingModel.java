package io.kb.embedding.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kb.embedding.model.WindowedTokenizer.Window;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferRequestedOutputTensor;
import io.kb.kserve.grpc.KServe.ModelInferResponse;

/**
 * {@link EmbeddingModel} served by Triton Inference Server (or any KServe v2 gRPC server) through
 * {@code ModelInfer}: the backend for GPU clusters. Two kinds, by the model's
 * {@linkplain TritonOptions.InputStyle input style}:
 * <ul>
 *   <li>{@link TokenInput} tokenizes here with the same Hugging Face tokenizer as {@link OnnxEmbeddingModel},
 *       sends {@code input_ids} and {@code attention_mask} (and zero {@code token_type_ids} if configured)
 *       as {@code [batch, seq]} padded to the longest sequence, and pools the answer here. A long text is
 *       cut into windows that are averaged, exactly as the ONNX adapter does. It is a {@link TokenCounter}.</li>
 *   <li>{@link TextInput} sends the texts as a BYTES tensor {@code [batch, 1]} to a model that tokenizes
 *       itself and answers pooled vectors {@code [batch, dim]}. How it treats a text longer than its window
 *       (usually: truncation) is up to the model; it cannot count tokens.</li>
 * </ul>
 *
 * <p>Every call carries the configured deadline, both as the gRPC deadline and as Triton's {@code timeout}
 * request parameter (microseconds). Outputs are read from {@code raw_output_contents}, where Triton always
 * answers, at the index of the configured output. Failures become {@link ModelUnavailableException}
 * (UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: retry later) or {@link ModelRejectedException}
 * (anything else, such as NOT_FOUND for a model Triton does not serve or INVALID_ARGUMENT for tensors that
 * do not match the model).
 *
 * <p>The gRPC channel is shared by the models of one server and owned by the caller; closing a model frees
 * only its tokenizer. Thread-safe.
 */
public abstract sealed class TritonEmbeddingModel implements EmbeddingModel, AutoCloseable {

    private static final String FP32 = "FP32";

    /** The model's settings. */
    protected final TritonOptions.Model model;
    private final GRPCInferenceServiceFutureStub stub;
    private final Duration deadline;

    private TritonEmbeddingModel(Channel channel, TritonOptions.Model model, Duration deadline) {
        this.model = model;
        this.stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
        this.deadline = deadline;
    }

    /**
     * @param channel  a channel to the server, see {@link TritonOptions#openChannel()}; not closed by the model
     * @param model    which model and how to call it
     * @param deadline the longest one call may take
     * @return a {@link TokenInput} or a {@link TextInput}, by the model's input style
     */
    public static TritonEmbeddingModel connect(Channel channel, TritonOptions.Model model, Duration deadline) {
        return switch (model.inputStyle()) {
            case TOKENS -> new TokenInput(channel, model, deadline);
            case TEXT -> new TextInput(channel, model, deadline);
        };
    }

    @Override
    public String name() {
        return model.name();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public int maxTokens() {
        return model.maxTokens();
    }

    /** Frees what the model holds in this process; the channel stays open. */
    @Override
    public abstract void close();

    /** The model's settings. */
    public TritonOptions.Model options() {
        return model;
    }

    /** The inputs of one request: tensors and their raw contents, in the same order. */
    protected record Inputs(List<InferInputTensor> tensors, List<ByteString> contents) {
    }

    /**
     * Sends sequences in requests of at most {@code max-batch-size} (one per sequence for a model without a
     * batch dimension), all at once, and returns one normalized vector per sequence.
     *
     * @param count  the sequences
     * @param inputs the inputs of the sequences {@code [from, to)}; {@code batched} says whether to give
     *               them a leading batch dimension
     */
    protected final float[][] infer(int count, InputsOf inputs) {
        int perRequest = model.batchDimension() ? model.maxBatchSize() : 1;
        List<ListenableFuture<ModelInferResponse>> calls = new ArrayList<>();
        long timeoutMicros = TimeUnit.NANOSECONDS.toMicros(deadline.toNanos());
        for (int from = 0; from < count; from += perRequest) {
            int to = Math.min(count, from + perRequest);
            Inputs in = inputs.of(from, to, model.batchDimension());
            ModelInferRequest request = ModelInferRequest.newBuilder()
                    .setModelName(model.modelName())
                    .setModelVersion(model.modelVersion())
                    .putParameters(InferParameters.TIMEOUT_MICROSECONDS, InferParameters.of(timeoutMicros))
                    .addAllInputs(in.tensors())
                    .addAllRawInputContents(in.contents())
                    .addOutputs(InferRequestedOutputTensor.newBuilder().setName(model.output()))
                    .build();
            calls.add(stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).modelInfer(request));
        }
        float[][] vectors = new float[count][];
        int row = 0;
        try {
            for (ListenableFuture<ModelInferResponse> call : calls) {
                int rows = Math.min(perRequest, count - row);
                float[][] answered = vectors(await(call), rows);
                System.arraycopy(answered, 0, vectors, row, rows);
                row += rows;
            }
        } finally {
            calls.forEach(c -> c.cancel(true));
        }
        return vectors;
    }

    /** Builds the inputs of a slice of the sequences. */
    @FunctionalInterface
    protected interface InputsOf {
        Inputs of(int from, int to, boolean batched);
    }

    /** A shape with or without the leading batch dimension. */
    protected static List<Long> shape(boolean batched, int batch, long... rest) {
        List<Long> shape = new ArrayList<>(rest.length + 1);
        if (batched) {
            shape.add((long) batch);
        }
        Arrays.stream(rest).forEach(shape::add);
        return shape;
    }

    private ModelInferResponse await(ListenableFuture<ModelInferResponse> call) {
        try {
            return call.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelUnavailableException("interrupted while waiting for " + describe(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) {
                throw translate(s);
            }
            throw new ModelRejectedException("the call to " + describe() + " failed", e.getCause());
        }
    }

    private RuntimeException translate(StatusRuntimeException e) {
        Status status = e.getStatus();
        String reason = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new ModelUnavailableException(describe() + " did not answer within "
                    + deadline.toMillis() + " ms (kb.embedding.triton.deadline)", e);
            case UNAVAILABLE, RESOURCE_EXHAUSTED -> new ModelUnavailableException(describe() + " is unavailable: "
                    + reason, e);
            case NOT_FOUND -> new ModelRejectedException("Triton does not serve " + describe() + ": " + reason
                    + "; check kb.embedding.triton.models[" + model.name() + "].model-name and model-version", e);
            case INVALID_ARGUMENT -> new ModelRejectedException(describe() + " refused the request: " + reason
                    + "; check the tensor names, datatypes and batch settings of kb.embedding.triton.models["
                    + model.name() + "] against the model's config.pbtxt", e);
            default -> new ModelRejectedException(describe() + " failed: " + reason, e);
        };
    }

    /** Reads the configured output: one normalized vector per sequence. */
    private float[][] vectors(ModelInferResponse response, int rows) {
        int index = -1;
        for (int i = 0; i < response.getOutputsCount(); i++) {
            if (response.getOutputs(i).getName().equals(model.output())) {
                index = i;
                break;
            }
        }
        if (index < 0 || index >= response.getRawOutputContentsCount()) {
            throw new ModelRejectedException(describe() + " answered without raw contents of output '"
                    + model.output() + "'; it has " + response.getOutputsList().stream().map(o -> o.getName()).toList(), null);
        }
        ModelInferResponse.InferOutputTensor tensor = response.getOutputs(index);
        if (!FP32.equals(tensor.getDatatype())) {
            throw new ModelRejectedException(describe() + " output '" + model.output() + "' is "
                    + tensor.getDatatype() + ", not FP32", null);
        }
        List<Long> shape = tensor.getShapeList();
        boolean pooled = model.outputPooling() == TritonOptions.Pooling.NONE;
        int expectedRank = (model.batchDimension() ? 1 : 0) + (pooled ? 1 : 2);
        if (shape.size() != expectedRank || shape.getLast() != model.dimension()
                || (model.batchDimension() && shape.getFirst() != rows)) {
            throw new ModelRejectedException(describe() + " output '" + model.output() + "' has shape " + shape
                    + "; expected " + (model.batchDimension() ? "[" + rows + ", " : "[")
                    + (pooled ? "" : "seq, ") + model.dimension() + "] (check output-pooling, dimension, batch-dimension)", null);
        }
        float[] data = Tensors.decodeFp32(response.getRawOutputContents(index));
        int dim = model.dimension();
        int perRow = pooled ? dim : Math.toIntExact(shape.get(shape.size() - 2)) * dim;
        if (data.length != rows * perRow) {
            throw new ModelRejectedException(describe() + " output '" + model.output() + "' holds " + data.length
                    + " floats, not the " + rows * perRow + " its shape " + shape + " says", null);
        }
        float[][] vectors = new float[rows][dim];
        for (int r = 0; r < rows; r++) {
            // The first dim floats of a row are the pooled vector, or the [CLS] token's hidden state.
            System.arraycopy(data, r * perRow, vectors[r], 0, dim);
            WindowedTokenizer.normalize(vectors[r]);
        }
        return vectors;
    }

    /** The model as error messages name it. */
    protected final String describe() {
        return "Triton model '" + model.modelName() + "'"
                + (model.modelVersion().isEmpty() ? "" : " version " + model.modelVersion());
    }

    /**
     * A Triton model that takes token ids: tokenized and pooled here, long texts cut into windows and
     * averaged, as {@link OnnxEmbeddingModel} does.
     */
    public static final class TokenInput extends TritonEmbeddingModel implements TokenCounter {

        private final WindowedTokenizer tokenizer;

        private TokenInput(Channel channel, TritonOptions.Model model, Duration deadline) {
            super(channel, model, deadline);
            this.tokenizer = WindowedTokenizer.load(model.bundledTokenizer(), model.maxTokens());
        }

        @Override
        public int countTokens(String text) {
            return tokenizer.countTokens(text);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (texts.isEmpty()) {
                return List.of();
            }
            List<Window> windows = tokenizer.windows(texts);
            float[][] windowVectors = infer(windows.size(), (from, to, batched) -> tokens(windows.subList(from, to), batched));
            return WindowedTokenizer.combine(texts.size(), windows, windowVectors);
        }

        private Inputs tokens(List<Window> group, boolean batched) {
            int batch = group.size();
            int seq = group.stream().mapToInt(w -> w.ids().length).max().orElseThrow();
            long[] ids = new long[batch * seq];
            long[] mask = new long[batch * seq];
            for (int b = 0; b < batch; b++) {
                long[] w = group.get(b).ids();
                System.arraycopy(w, 0, ids, b * seq, w.length);
                Arrays.fill(mask, b * seq, b * seq + w.length, 1L);
            }
            List<Long> shape = shape(batched, batch, seq);
            List<InferInputTensor> tensors = new ArrayList<>(3);
            List<ByteString> contents = new ArrayList<>(3);
            add(tensors, contents, model.inputIds(), shape, ids);
            add(tensors, contents, model.attentionMask(), shape, mask);
            if (!model.tokenTypeIds().isEmpty()) {
                add(tensors, contents, model.tokenTypeIds(), shape, new long[batch * seq]);
            }
            return new Inputs(tensors, contents);
        }

        private void add(List<InferInputTensor> tensors, List<ByteString> contents, String name, List<Long> shape,
                long[] values) {
            TritonOptions.TokenDatatype type = model.tokenDatatype();
            tensors.add(InferInputTensor.newBuilder().setName(name).setDatatype(type.name()).addAllShape(shape).build());
            contents.add(type == TritonOptions.TokenDatatype.INT64 ? Tensors.encodeInt64(values)
                    : Tensors.encodeInt32(Arrays.stream(values).mapToInt(Math::toIntExact).toArray()));
        }

        /** Frees the tokenizer; the channel stays open. */
        @Override
        public void close() {
            tokenizer.close();
        }
    }

    /** A Triton model that takes the texts and tokenizes and pools them itself. */
    public static final class TextInput extends TritonEmbeddingModel {

        private TextInput(Channel channel, TritonOptions.Model model, Duration deadline) {
            super(channel, model, deadline);
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (texts.isEmpty()) {
                return List.of();
            }
            return List.of(infer(texts.size(), (from, to, batched) -> {
                List<String> slice = texts.subList(from, to);
                InferInputTensor tensor = InferInputTensor.newBuilder().setName(model.textInput()).setDatatype("BYTES")
                        .addAllShape(shape(batched, slice.size(), 1)).build();
                return new Inputs(List.of(tensor), List.of(Tensors.encodeStrings(slice)));
            }));
        }

        /** Nothing to free; the channel stays open. */
        @Override
        public void close() {
        }
    }
}
