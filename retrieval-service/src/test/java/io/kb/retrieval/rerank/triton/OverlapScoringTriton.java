package io.kb.retrieval.rerank.triton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.KServe.InferParameter;
import io.kb.kserve.grpc.KServe.InferTensorContents;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferRequest.InferInputTensor;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelInferResponse.InferOutputTensor;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ModelReadyResponse;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;
import io.kb.kserve.grpc.KServe.ServerReadyResponse;
import io.kb.retrieval.rerank.RerankProperties;

/**
 * A stand-in for a cross-encoder hosted in Triton, speaking {@code inference.GRPCInferenceService}: {@code ModelInfer},
 * {@code ServerReady} and {@code ModelReady}. It checks every inference request field by field against the model it
 * hosts (model name and version, the {@code timeout} parameter, input names, BYTES datatypes, {@code [rows, 1]}
 * shapes with the batch dimension within {@code max-batch-size}, raw contents with their 4-byte little-endian length
 * prefixes, decoded here without the client's code, the one requested output), answers INVALID_ARGUMENT as Triton
 * would for a request that does not fit, and keeps what was wrong in {@link #violations()}. It scores each row by
 * {@link #score}: how many distinct words of the query the passage contains. A {@link Behaviour} makes it fail, stall
 * or answer malformed output. In process, or on a loopback port for a whole service.
 */
public final class OverlapScoringTriton implements AutoCloseable {

    /** How the next inference calls are answered. */
    public enum Behaviour {
        /** Scores as {@code [rows, 1]} FP32 in {@code raw_output_contents}, as Triton answers. */
        SCORE,
        /** Scores as {@code [rows]} in the typed {@code fp32_contents}, as some other KServe servers answer. */
        SCORE_TYPED,
        /** Fails with {@link #failWith(Status)}'s status. */
        FAIL,
        /** Answers correctly after {@link #stallFor(Duration)}. */
        STALL,
        /** Output of shape {@code [rows, 2]}. */
        WRONG_SHAPE,
        /** Output of datatype FP64. */
        WRONG_DATATYPE,
        /** An output under another name. */
        MISSING_OUTPUT,
        /** One score more than there are rows, shape {@code [rows + 1, 1]}: a model trying to add a hit. */
        EXTRA_ROW,
        /** A NaN score on the first row. */
        NAN
    }

    private final RerankProperties.Triton model;
    private final long expectedTimeoutMicros;
    private final Server server;
    private final String inProcessName;
    private final List<ModelInferRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> passages = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private volatile Behaviour behaviour = Behaviour.SCORE;
    private volatile Status failure = Status.UNAVAILABLE;
    private volatile Duration stall = Duration.ZERO;
    private volatile boolean modelReady = true;

    private OverlapScoringTriton(RerankProperties.Triton model, long expectedTimeoutMicros, boolean onLocalPort) {
        this.model = model;
        this.expectedTimeoutMicros = expectedTimeoutMicros;
        this.inProcessName = InProcessServerBuilder.generateName();
        try {
            this.server = (onLocalPort
                    ? Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(new Service())
                    : InProcessServerBuilder.forName(inProcessName).addService(new Service()))
                    .build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param model                 the model it hosts: name, version, tensor names, {@code max-batch-size}
     * @param expectedTimeoutMicros the {@code timeout} parameter every request must carry
     */
    public static OverlapScoringTriton inProcess(RerankProperties.Triton model, long expectedTimeoutMicros) {
        return new OverlapScoringTriton(model, expectedTimeoutMicros, false);
    }

    /** The same on a free loopback port, for a service configured with {@code localhost:}{@link #port()}. */
    public static OverlapScoringTriton onLocalPort(RerankProperties.Triton model, long expectedTimeoutMicros) {
        return new OverlapScoringTriton(model, expectedTimeoutMicros, true);
    }

    /**
     * The rule the stand-in scores by: the number of distinct words (letters and digits, lower case) of the query
     * that the passage contains.
     */
    public static float score(String query, String passage) {
        Set<String> passageWords = words(passage);
        return words(query).stream().filter(passageWords::contains).count();
    }

    private static Set<String> words(String text) {
        return new HashSet<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
    }

    /** A channel to a server started {@link #inProcess}. */
    public ManagedChannel channel() {
        return InProcessChannelBuilder.forName(inProcessName).build();
    }

    /** The port of a server started {@link #onLocalPort}. */
    public int port() {
        return server.getPort();
    }

    public void behave(Behaviour next) {
        this.behaviour = next;
    }

    public void failWith(Status status) {
        this.failure = status;
        this.behaviour = Behaviour.FAIL;
    }

    public void stallFor(Duration delay) {
        this.stall = delay;
        this.behaviour = Behaviour.STALL;
    }

    /** What ModelReady answers. */
    public void modelReady(boolean ready) {
        this.modelReady = ready;
    }

    /** The inference requests received, in order. */
    public List<ModelInferRequest> requests() {
        return List.copyOf(requests);
    }

    /** Every passage received, decoded here from the raw contents, in the order received. */
    public List<String> passages() {
        return List.copyOf(passages);
    }

    /** What was wrong with the requests; empty when every request fitted the model. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Back to scoring, ready, with nothing recorded. */
    public void reset() {
        behaviour = Behaviour.SCORE;
        modelReady = true;
        requests.clear();
        passages.clear();
        violations.clear();
    }

    /** Stops serving; calls fail UNAVAILABLE. */
    @Override
    public void close() {
        try {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

        @Override
        public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
            out.onNext(ServerReadyResponse.newBuilder().setReady(true).build());
            out.onCompleted();
        }

        @Override
        public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
            boolean ours = request.getName().equals(model.model()) && request.getVersion().equals(model.modelVersion());
            out.onNext(ModelReadyResponse.newBuilder().setReady(ours && modelReady).build());
            out.onCompleted();
        }

        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
            requests.add(request);
            Behaviour now = behaviour;
            if (now == Behaviour.FAIL) {
                out.onError(failure.asRuntimeException());
                return;
            }
            List<String> problems = new ArrayList<>();
            List<String[]> rows = check(request, problems);
            if (!problems.isEmpty()) {
                violations.addAll(problems);
                out.onError(Status.INVALID_ARGUMENT.withDescription(String.join("; ", problems)).asRuntimeException());
                return;
            }
            if (now == Behaviour.STALL) {
                try {
                    Thread.sleep(stall);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            float[] scores = new float[rows.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = score(rows.get(i)[0], rows.get(i)[1]);
            }
            out.onNext(answer(request, scores, now));
            out.onCompleted();
        }
    }

    /** The (query, passage) rows of a request that fits the model; what does not fit goes to {@code problems}. */
    private List<String[]> check(ModelInferRequest request, List<String> problems) {
        if (!request.getModelName().equals(model.model())) {
            problems.add("model_name is '" + request.getModelName() + "', not '" + model.model() + "'");
        }
        if (!request.getModelVersion().equals(model.modelVersion())) {
            problems.add("model_version is '" + request.getModelVersion() + "', not '" + model.modelVersion() + "'");
        }
        InferParameter timeout = request.getParametersMap().get("timeout");
        if (timeout == null || timeout.getParameterChoiceCase() != InferParameter.ParameterChoiceCase.INT64_PARAM
                || timeout.getInt64Param() != expectedTimeoutMicros) {
            problems.add("parameter timeout is " + timeout + ", not int64 " + expectedTimeoutMicros + " µs");
        }
        if (request.getOutputsCount() != 1 || !request.getOutputs(0).getName().equals(model.output())) {
            problems.add("requested outputs " + request.getOutputsList().stream().map(o -> o.getName()).toList()
                    + ", not [" + model.output() + "]");
        }
        List<String> names = request.getInputsList().stream().map(InferInputTensor::getName).toList();
        if (!names.equals(List.of(model.queryInput(), model.passageInput()))) {
            problems.add("inputs " + names + ", not [" + model.queryInput() + ", " + model.passageInput() + "]");
            return List.of();
        }
        if (request.getRawInputContentsCount() != 2) {
            problems.add(request.getRawInputContentsCount() + " raw_input_contents for 2 inputs");
            return List.of();
        }
        long rows = -1;
        List<List<String>> columns = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            InferInputTensor input = request.getInputs(i);
            if (!input.getDatatype().equals("BYTES")) {
                problems.add(input.getName() + " is " + input.getDatatype() + ", not BYTES");
            }
            if (input.hasContents()) {
                problems.add(input.getName() + " sets contents besides raw_input_contents");
            }
            List<Long> shape = input.getShapeList();
            if (shape.size() != 2 || shape.get(1) != 1 || shape.get(0) < 1 || shape.get(0) > model.maxBatchSize()) {
                problems.add(input.getName() + " has shape " + shape + ", not [rows, 1] with 1 <= rows <= "
                        + model.maxBatchSize());
                return List.of();
            }
            if (rows >= 0 && shape.get(0) != rows) {
                problems.add("the inputs' batch dimensions differ: " + rows + " and " + shape.get(0));
            }
            rows = shape.get(0);
            List<String> elements = decodeBytes(request.getRawInputContents(i), input.getName(), problems);
            if (elements != null && elements.size() != shape.get(0)) {
                problems.add(input.getName() + " holds " + elements.size() + " elements for shape " + shape);
            }
            columns.add(elements);
        }
        if (!problems.isEmpty()) {
            return List.of();
        }
        List<String[]> pairs = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            pairs.add(new String[] {columns.get(0).get(r), columns.get(1).get(r)});
        }
        if (pairs.stream().map(p -> p[0]).distinct().count() != 1) {
            problems.add("the query differs between rows");
        }
        pairs.forEach(p -> passages.add(p[1]));
        return pairs;
    }

    /** BYTES raw contents: per element a 4-byte little-endian unsigned length, then that many UTF-8 bytes. */
    private static List<String> decodeBytes(ByteString raw, String name, List<String> problems) {
        ByteBuffer b = ByteBuffer.wrap(raw.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        List<String> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                problems.add(name + ": " + b.remaining() + " bytes left where a 4-byte length prefix belongs");
                return null;
            }
            long length = Integer.toUnsignedLong(b.getInt());
            if (length > b.remaining()) {
                problems.add(name + ": element " + out.size() + " claims " + length + " bytes, " + b.remaining()
                        + " remain");
                return null;
            }
            byte[] element = new byte[(int) length];
            b.get(element);
            out.add(new String(element, StandardCharsets.UTF_8));
        }
        return out;
    }

    private ModelInferResponse answer(ModelInferRequest request, float[] scores, Behaviour how) {
        int rows = scores.length;
        String name = how == Behaviour.MISSING_OUTPUT ? model.output() + "_other" : model.output();
        String datatype = how == Behaviour.WRONG_DATATYPE ? "FP64" : "FP32";
        List<Long> shape = switch (how) {
            case WRONG_SHAPE -> List.of((long) rows, 2L);
            case EXTRA_ROW -> List.of(rows + 1L, 1L);
            case SCORE_TYPED -> List.of((long) rows);
            default -> List.of((long) rows, 1L);
        };
        float[] values = switch (how) {
            case WRONG_SHAPE -> Arrays.copyOf(scores, rows * 2);
            case EXTRA_ROW -> Arrays.copyOf(scores, rows + 1);
            default -> scores.clone();
        };
        if (how == Behaviour.EXTRA_ROW) {
            values[rows] = 1000;
        }
        if (how == Behaviour.NAN) {
            values[0] = Float.NaN;
        }
        InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder().setName(name).setDatatype(datatype)
                .addAllShape(shape);
        ModelInferResponse.Builder response = ModelInferResponse.newBuilder().setModelName(request.getModelName())
                .setModelVersion(request.getModelVersion().isEmpty() ? "1" : request.getModelVersion());
        if (how == Behaviour.SCORE_TYPED) {
            InferTensorContents.Builder typed = InferTensorContents.newBuilder();
            for (float v : values) {
                typed.addFp32Contents(v);
            }
            return response.addOutputs(tensor.setContents(typed)).build();
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        return response.addOutputs(tensor).addRawOutputContents(ByteString.copyFrom(raw.array())).build();
    }
}
