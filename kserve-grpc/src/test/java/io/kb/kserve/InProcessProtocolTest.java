package io.kb.kserve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelStreamInferResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generated stubs over a real (in-process) gRPC transport, for the unary and the streaming call. */
class InProcessProtocolTest {

    private Server server;
    private ManagedChannel channel;

    /** Upper-cases a BYTES input; streams one response per character, then an empty final one. */
    static final class Shouting extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
        @Override
        public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
            String text = Tensors.decodeStrings(request.getRawInputContents(0)).getFirst();
            out.onNext(ModelInferResponse.newBuilder().setId(request.getId())
                    .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("text_output")
                            .setDatatype("BYTES").addShape(1))
                    .addRawOutputContents(Tensors.encodeStrings(List.of(text.toUpperCase())))
                    .build());
            out.onCompleted();
        }

        @Override
        public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
            return new StreamObserver<>() {
                @Override
                public void onNext(ModelInferRequest request) {
                    String text = Tensors.decodeStrings(request.getRawInputContents(0)).getFirst();
                    for (char c : text.toUpperCase().toCharArray()) {
                        out.onNext(ModelStreamInferResponse.newBuilder().setInferResponse(ModelInferResponse.newBuilder()
                                .setId(request.getId())
                                .putParameters(InferParameters.FINAL_RESPONSE, InferParameters.of(false))
                                .addRawOutputContents(Tensors.encodeStrings(List.of(String.valueOf(c))))).build());
                    }
                    out.onNext(ModelStreamInferResponse.newBuilder().setInferResponse(ModelInferResponse.newBuilder()
                            .setId(request.getId())
                            .putParameters(InferParameters.FINAL_RESPONSE, InferParameters.of(true))).build());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(new Shouting()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    private static ModelInferRequest request(String id, String text) {
        return ModelInferRequest.newBuilder().setModelName("shout").setId(id)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("text_input").setDatatype("BYTES")
                        .addShape(1))
                .addRawInputContents(Tensors.encodeStrings(List.of(text)))
                .putParameters(InferParameters.ENABLE_EMPTY_FINAL_RESPONSE, InferParameters.of(true))
                .build();
    }

    @Test
    void unaryInferenceCarriesRawTensorsBothWays() throws Exception {
        start();
        ModelInferResponse r = GRPCInferenceServiceGrpc.newBlockingStub(channel).modelInfer(request("1", "héllo"));

        assertThat(r.getId()).isEqualTo("1");
        assertThat(Tensors.decodeStrings(r.getRawOutputContents(0))).containsExactly("HÉLLO");
    }

    @Test
    void streamingEndsEachRequestWithItsFinalResponse() throws Exception {
        start();
        List<ModelStreamInferResponse> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel)
                .modelStreamInfer(new StreamObserver<>() {
                    @Override
                    public void onNext(ModelStreamInferResponse r) {
                        got.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        requests.onNext(request("a", "ok"));
        requests.onCompleted();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(3);
        assertThat(got.subList(0, 2)).noneMatch(r -> InferParameters.isFinal(r.getInferResponse()));
        assertThat(InferParameters.isFinal(got.get(2).getInferResponse())).isTrue();
        assertThat(got.get(2).getInferResponse().getRawOutputContentsCount()).isZero();
        String text = got.subList(0, 2).stream()
                .map(r -> Tensors.decodeStrings(r.getInferResponse().getRawOutputContents(0)).getFirst())
                .reduce("", String::concat);
        assertThat(text).isEqualTo("OK");
    }
}
