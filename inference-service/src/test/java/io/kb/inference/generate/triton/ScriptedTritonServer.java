package io.kb.inference.generate.triton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.KServe.InferTensorContents;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelInferResponse.InferOutputTensor;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ModelReadyResponse;
import io.kb.kserve.grpc.KServe.ModelStreamInferResponse;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;
import io.kb.kserve.grpc.KServe.ServerReadyResponse;

/**
 * An in-process stand-in for Triton's {@code inference.GRPCInferenceService} serving a decoupled LLM: each streamed
 * request plays the next {@link Script} (text deltas, delays, and how the request ends), and everything the server
 * received or saw is kept for assertions. No network: clients use {@link #channel()}.
 */
public final class ScriptedTritonServer implements AutoCloseable {

    /** How a scripted request ends after its deltas. */
    public enum Ending {
        /** The last delta response carries {@code triton_final_response=true}. */
        FINAL_ON_LAST,
        /** A separate response with no outputs and {@code triton_final_response=true}, as Triton sends when asked. */
        EMPTY_FINAL,
        /** A response with {@code error_message} set; the stream stays open, as Triton does. */
        ERROR_MESSAGE,
        /** The call fails with a gRPC status. */
        STATUS,
        /** Nothing more: no final response, the stream stays open until the client gives up. */
        HANG,
        /** The server completes the stream without a final response. */
        CLOSE
    }

    /**
     * What the server does with one request.
     *
     * @param deltas        the text of each data response, in order
     * @param firstDelay    the wait before the first response
     * @param between       the wait between responses
     * @param ending        what follows the deltas
     * @param errorMessage  the {@code error_message}, for {@link Ending#ERROR_MESSAGE}
     * @param status        the status the call fails with, for {@link Ending#STATUS}
     * @param typedContents whether outputs go in {@code contents} instead of {@code raw_output_contents}
     * @param inputTokens   the {@code num_input_tokens} sent with each delta, or -1 for none
     * @param outputTokens  the {@code num_output_tokens} sent with each delta, or -1 for none
     */
    public record Script(List<String> deltas, Duration firstDelay, Duration between, Ending ending, String errorMessage,
            Status status, boolean typedContents, int inputTokens, int outputTokens) {

        /** These deltas, at once, then an empty final response. */
        public static Script text(String... deltas) {
            return new Script(List.of(deltas), Duration.ZERO, Duration.ZERO, Ending.EMPTY_FINAL, "", Status.OK, false,
                    -1, -1);
        }

        public Script finalOnLast() {
            return ending(Ending.FINAL_ON_LAST, errorMessage, status);
        }

        public Script thenError(String message) {
            return ending(Ending.ERROR_MESSAGE, message, status);
        }

        public Script thenStatus(Status failure) {
            return ending(Ending.STATUS, errorMessage, failure);
        }

        public Script thenHang() {
            return ending(Ending.HANG, errorMessage, status);
        }

        public Script thenClose() {
            return ending(Ending.CLOSE, errorMessage, status);
        }

        public Script firstDelay(Duration delay) {
            return new Script(deltas, delay, between, ending, errorMessage, status, typedContents, inputTokens,
                    outputTokens);
        }

        public Script between(Duration delay) {
            return new Script(deltas, firstDelay, delay, ending, errorMessage, status, typedContents, inputTokens,
                    outputTokens);
        }

        public Script typed() {
            return new Script(deltas, firstDelay, between, ending, errorMessage, status, true, inputTokens,
                    outputTokens);
        }

        public Script tokenCounts(int input, int outputPerDelta) {
            return new Script(deltas, firstDelay, between, ending, errorMessage, status, typedContents, input,
                    outputPerDelta);
        }

        private Script ending(Ending end, String message, Status failure) {
            return new Script(deltas, firstDelay, between, end, message, failure, typedContents, inputTokens,
                    outputTokens);
        }
    }

    private final Server server;
    private final ManagedChannel channel;
    private final ExecutorService players = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
    private final List<ModelInferRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> modelReadyAsked = new CopyOnWriteArrayList<>();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final AtomicInteger responsesSent = new AtomicInteger();
    private volatile Script fallback = Script.text("ok");
    private volatile boolean serverReady = true;
    private volatile boolean modelReady = true;

    private ScriptedTritonServer(String name) throws Exception {
        this.server = InProcessServerBuilder.forName(name).addService(new Service()).build().start();
        this.channel = InProcessChannelBuilder.forName(name).build();
    }

    /** Starts a server on a fresh in-process name. */
    public static ScriptedTritonServer start() {
        try {
            return new ScriptedTritonServer(InProcessServerBuilder.generateName());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A channel to this server. */
    public ManagedChannel channel() {
        return channel;
    }

    /** The scripts of the next requests, in order; after them every request plays the last fallback. */
    public ScriptedTritonServer enqueue(Script... next) {
        scripts.addAll(List.of(next));
        return this;
    }

    /** What ServerReady and ModelReady answer. */
    public void ready(boolean server, boolean model) {
        this.serverReady = server;
        this.modelReady = model;
    }

    /** The streamed requests received, in order. */
    public List<ModelInferRequest> requests() {
        return List.copyOf(requests);
    }

    /** The model names ModelReady was asked about. */
    public List<String> modelReadyAsked() {
        return List.copyOf(modelReadyAsked);
    }

    /** How many responses the server wrote, over all calls. */
    public int responsesSent() {
        return responsesSent.get();
    }

    /** Waits until a client cancelled a stream, as the server sees it. */
    public boolean awaitCancellation(Duration timeout) throws InterruptedException {
        return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops serving at once; the channel stays, and calls on it fail UNAVAILABLE. */
    public void shutdown() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        shutdown();
        players.shutdownNow();
    }

    private final class Service extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

        @Override
        public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
            out.onNext(ServerReadyResponse.newBuilder().setReady(serverReady).build());
            out.onCompleted();
        }

        @Override
        public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
            modelReadyAsked.add(request.getName());
            out.onNext(ModelReadyResponse.newBuilder().setReady(modelReady).build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
            Stream stream = new Stream((ServerCallStreamObserver<ModelStreamInferResponse>) out);
            stream.out.setOnCancelHandler(stream::cancelled);
            return new StreamObserver<>() {
                @Override
                public void onNext(ModelInferRequest request) {
                    requests.add(request);
                    Script script = scripts.poll();
                    players.submit(() -> stream.play(request, script != null ? script : fallback));
                }

                @Override
                public void onError(Throwable t) {
                    stream.cancelled();
                }

                @Override
                public void onCompleted() {
                    stream.halfClosed();
                }
            };
        }
    }

    /** One call's response side; the player thread and gRPC's callbacks meet here. */
    private final class Stream {
        private final ServerCallStreamObserver<ModelStreamInferResponse> out;
        private boolean isCancelled;
        private boolean clientDone;
        private boolean playing;
        private boolean closed;

        Stream(ServerCallStreamObserver<ModelStreamInferResponse> out) {
            this.out = out;
        }

        synchronized void cancelled() {
            isCancelled = true;
            cancelled.countDown();
        }

        synchronized void halfClosed() {
            clientDone = true;
            if (!playing) {
                complete();
            }
        }

        void play(ModelInferRequest request, Script script) {
            synchronized (this) {
                playing = true;
            }
            try {
                pause(script.firstDelay());
                for (int i = 0; i < script.deltas().size(); i++) {
                    if (i > 0) {
                        pause(script.between());
                    }
                    boolean last = i == script.deltas().size() - 1;
                    send(response(request, script, script.deltas().get(i), last && script.ending() == Ending.FINAL_ON_LAST));
                }
                switch (script.ending()) {
                    case FINAL_ON_LAST -> {
                        if (script.deltas().isEmpty()) {
                            send(response(request, script, null, true));
                        }
                    }
                    case EMPTY_FINAL -> send(response(request, script, null, true));
                    case ERROR_MESSAGE -> send(ModelStreamInferResponse.newBuilder().setErrorMessage(script.errorMessage())
                            .setInferResponse(ModelInferResponse.newBuilder().setId(request.getId())).build());
                    case STATUS -> fail(script.status());
                    case HANG -> {
                        return;
                    }
                    case CLOSE -> {
                        synchronized (this) {
                            complete();
                        }
                        return;
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                playing = false;
                if (clientDone) {
                    complete();
                }
            }
        }

        private ModelStreamInferResponse response(ModelInferRequest request, Script script, String delta,
                boolean isFinal) {
            ModelInferResponse.Builder r = ModelInferResponse.newBuilder().setModelName(request.getModelName())
                    .setId(request.getId())
                    .putParameters(InferParameters.FINAL_RESPONSE, InferParameters.of(isFinal));
            if (delta != null) {
                ByteString text = ByteString.copyFromUtf8(delta);
                output(r, script, "text_output", "BYTES", InferTensorContents.newBuilder().addBytesContents(text),
                        Tensors.encodeStrings(List.of(delta)));
                if (script.inputTokens() >= 0) {
                    output(r, script, "num_input_tokens", "UINT32",
                            InferTensorContents.newBuilder().addUintContents(script.inputTokens()),
                            Tensors.encodeInt32(new int[] {script.inputTokens()}));
                }
                if (script.outputTokens() >= 0) {
                    output(r, script, "num_output_tokens", "UINT32",
                            InferTensorContents.newBuilder().addUintContents(script.outputTokens()),
                            Tensors.encodeInt32(new int[] {script.outputTokens()}));
                }
            }
            return ModelStreamInferResponse.newBuilder().setInferResponse(r).build();
        }

        private static void output(ModelInferResponse.Builder r, Script script, String name, String datatype,
                InferTensorContents.Builder typed, ByteString raw) {
            InferOutputTensor.Builder tensor = InferOutputTensor.newBuilder().setName(name).setDatatype(datatype)
                    .addShape(1);
            if (script.typedContents()) {
                r.addOutputs(tensor.setContents(typed));
            } else {
                r.addOutputs(tensor).addRawOutputContents(raw);
            }
        }

        private synchronized void send(ModelStreamInferResponse response) {
            if (isCancelled || closed) {
                return;
            }
            out.onNext(response);
            responsesSent.incrementAndGet();
        }

        private synchronized void fail(Status status) {
            if (!isCancelled && !closed) {
                closed = true;
                out.onError(status.asRuntimeException());
            }
        }

        private void complete() {
            if (!isCancelled && !closed) {
                closed = true;
                out.onCompleted();
            }
        }

        private void pause(Duration delay) throws InterruptedException {
            if (!delay.isZero()) {
                Thread.sleep(delay);
            }
        }
    }
}
