package io.kb.embedding.model;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of the Triton-hosted models, asked anew on every check: UP when Triton answers
 * {@code ServerReady} with true and {@code ModelReady} with true for every served model; DOWN with the
 * reason otherwise, so that a load balancer stops sending traffic while Triton restarts or unloads a model.
 * Replaces {@link EmbeddingModelsHealthIndicator} when the backend is Triton.
 */
public class TritonHealthIndicator implements HealthIndicator {

    private static final Duration MAX_PROBE_DEADLINE = Duration.ofSeconds(2);

    private final GRPCInferenceServiceBlockingStub stub;
    private final TritonOptions options;
    private final Duration probeDeadline;

    /**
     * @param channel the channel the models use
     * @param options the server and its models
     */
    public TritonHealthIndicator(Channel channel, TritonOptions options) {
        this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.options = options;
        this.probeDeadline = options.deadline().compareTo(MAX_PROBE_DEADLINE) < 0 ? options.deadline() : MAX_PROBE_DEADLINE;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("target", options.target());
        try {
            boolean serverReady = probe().serverReady(ServerReadyRequest.getDefaultInstance()).getReady();
            details.put("serverReady", serverReady);
            boolean allReady = serverReady;
            for (TritonOptions.Model model : options.models()) {
                boolean ready = probe().modelReady(ModelReadyRequest.newBuilder()
                        .setName(model.modelName()).setVersion(model.modelVersion()).build()).getReady();
                details.put(model.name(), Map.of("tritonModel", model.modelName(),
                        "version", model.modelVersion().isEmpty() ? "(policy)" : model.modelVersion(), "ready", ready));
                allReady &= ready;
            }
            return (allReady ? Health.up() : Health.down()).withDetails(details).build();
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
