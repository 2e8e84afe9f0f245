package io.kb.inference.generate.triton;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelStreamInferResponse;

/**
 * One {@code ModelStreamInfer} call carrying one request, read by a blocking caller. The call asks the server for
 * one response at a time (gRPC flow control), so at most one response and the call's end wait here: a slow reader
 * slows the server's stream instead of filling memory.
 */
final class TritonStreamCall implements ClientResponseObserver<ModelInferRequest, ModelStreamInferResponse> {

    /** How the call ended; {@link Status#OK} when the server completed the stream. */
    private record Closed(Status status) {
    }

    // One requested response plus the end of the call; the spare slots only absorb a server that ignores flow control.
    private final BlockingQueue<Object> events = new ArrayBlockingQueue<>(4);
    private volatile ClientCallStreamObserver<ModelInferRequest> requests;
    private volatile boolean overrun;

    private TritonStreamCall() {
    }

    /**
     * Opens the stream and sends the request.
     *
     * @param stub    a stub carrying the call's deadline
     * @param request the one request of this call
     */
    static TritonStreamCall start(GRPCInferenceServiceStub stub, ModelInferRequest request) {
        TritonStreamCall call = new TritonStreamCall();
        stub.modelStreamInfer(call);
        call.requests.onNext(request);
        return call;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ModelInferRequest> requestStream) {
        this.requests = requestStream;
        requestStream.disableAutoRequestWithInitial(1);
    }

    @Override
    public void onNext(ModelStreamInferResponse response) {
        if (!events.offer(response)) {
            overrun = true;
            requests.cancel("the server sent responses that were not asked for", null);
        }
    }

    @Override
    public void onError(Throwable t) {
        events.offer(new Closed(Status.fromThrowable(t)));
    }

    @Override
    public void onCompleted() {
        events.offer(new Closed(Status.OK));
    }

    /**
     * Waits for the next response and asks for the one after it.
     *
     * @param deadlineNanos the {@link System#nanoTime()} after which to stop waiting
     * @return the response, or {@code null} when the deadline passed first
     * @throws StatusRuntimeException when the call ended, with {@link Status#OK} if the server closed the stream
     * @throws InterruptedException   when the waiting thread is interrupted
     */
    ModelStreamInferResponse next(long deadlineNanos) throws InterruptedException {
        Object event = events.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (event == null) {
            return null;
        }
        if (event instanceof Closed closed) {
            Status status = overrun ? Status.INTERNAL.withDescription("the server ignored flow control")
                    : closed.status();
            throw status.asRuntimeException();
        }
        requests.request(1);
        return (ModelStreamInferResponse) event;
    }

    /** Half-closes the stream once the request's final response came, so that the server ends the call. */
    void finish() {
        requests.onCompleted();
    }

    /** Tells the server to stop: it sees the call cancelled and can drop the generation. */
    void cancel(String reason, Throwable cause) {
        requests.cancel(reason, cause);
    }
}
