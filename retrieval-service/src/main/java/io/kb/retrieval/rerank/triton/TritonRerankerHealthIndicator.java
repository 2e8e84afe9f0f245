package io.kb.retrieval.rerank.triton;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;
import io.kb.retrieval.rerank.RerankProperties;
import io.kb.retrieval.rerank.RerankStage;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The health component {@code reranker}, asked anew on every check: UP when Triton answers {@code ServerReady} and
 * {@code ModelReady} for the reranking model with true, DOWN with the reason otherwise; the details carry the state
 * of the reranker's circuit. It is not part of the readiness group: searches answer in fused order without the
 * reranker, so an instance whose reranker is down still takes traffic.
 */
public class TritonRerankerHealthIndicator implements HealthIndicator {

    private static final Duration MAX_PROBE_DEADLINE = Duration.ofSeconds(2);

    private final GRPCInferenceServiceBlockingStub stub;
    private final RerankProperties.Triton model;
    private final RerankStage stage;
    private final Duration probeDeadline;

    /**
     * @param channel  the channel the reranker uses
     * @param model    the model to ask about
     * @param stage    the stage whose circuit state to show
     * @param deadline the reranking deadline; the probe waits at most this, and at most 2 s
     */
    public TritonRerankerHealthIndicator(Channel channel, RerankProperties.Triton model, RerankStage stage,
            Duration deadline) {
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.model = model;
        this.stage = stage;
        this.probeDeadline = deadline.compareTo(MAX_PROBE_DEADLINE) < 0 ? deadline : MAX_PROBE_DEADLINE;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", model.target());
        details.put("model", model.model());
        details.put("version", model.modelVersion().isEmpty() ? "(policy)" : model.modelVersion());
        details.put("circuit", stage.circuitState().name().toLowerCase(Locale.ROOT));
        try {
            boolean serverReady = probe().serverReady(ServerReadyRequest.getDefaultInstance()).getReady();
            boolean modelReady = serverReady && probe().modelReady(ModelReadyRequest.newBuilder()
                    .setName(model.model()).setVersion(model.modelVersion()).build()).getReady();
            details.put("serverReady", serverReady);
            details.put("modelReady", modelReady);
            return (modelReady ? Health.up() : Health.down()).withDetails(details).build();
        } catch (StatusRuntimeException e) {
            details.put("error", e.getStatus().getCode() + (e.getStatus().getDescription() == null ? ""
                    : ": " + e.getStatus().getDescription()));
            return Health.down().withDetails(details).build();
        }
    }

    private GRPCInferenceServiceBlockingStub probe() {
        return stub.withDeadlineAfter(probeDeadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
