package io.kb.inference.generate.triton;

import java.time.Duration;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.util.unit.DataSize;

/**
 * How to reach one LLM on Triton Inference Server (KServe v2 gRPC). A tier of type {@code triton} carries these
 * under {@code kb.inference.tiers[n].triton}. Only {@code target}, {@code model} and {@code profile} are required;
 * every other setting has a default that fits a streaming chat model.
 *
 * @param target                the gRPC address, {@code host:port} (Triton's default gRPC port is 8001)
 * @param model                 the model name in Triton's repository
 * @param profile               the tensor layout: {@code vllm}, {@code trtllm-ensemble} or {@code trtllm-llmapi}
 * @param timeout               the longest a generation may take, sent to Triton and enforced as the call's deadline
 *                              (a request's own deadline wins when it is earlier); default 60s
 * @param modelVersion          the model version to call; empty (the default) lets Triton pick by its version policy
 * @param promptFormat          how the chat messages become the one prompt text the model takes: {@code chatml}
 *                              (Qwen, many fine-tunes; the default), {@code llama3} or {@code plain}
 * @param temperature           the sampling temperature, 0 to 2; default 0.2, low because answers must stay close to
 *                              their sources
 * @param tls                   whether the channel uses TLS, trusting the JVM's certificate authorities; default false
 * @param maxInboundMessageSize the largest response message accepted; default 4MB, plenty for text deltas
 * @param textInput             the name of the prompt input tensor; default {@code text_input}
 * @param textOutput            the name of the generated-text output tensor; default {@code text_output}
 * @param batchDimension        whether every input carries a leading batch dimension of 1, as models with
 *                              {@code max_batch_size > 0} need; default: what the profile's model layout uses
 *                              (true for {@code trtllm-ensemble}, false for the others)
 * @param requestTokenCounts    vllm only: also send {@code return_num_input_tokens} and
 *                              {@code return_num_output_tokens}, so that token counts are the model's, not estimates;
 *                              needs a vllm_backend that declares those inputs; default false
 */
public record TritonGeneratorProperties(
        String target,
        String model,
        String profile,
        Duration timeout,
        String modelVersion,
        String promptFormat,
        Double temperature,
        Boolean tls,
        DataSize maxInboundMessageSize,
        String textInput,
        String textOutput,
        Boolean batchDimension,
        Boolean requestTokenCounts) {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final DataSize DEFAULT_MAX_INBOUND_MESSAGE_SIZE = DataSize.ofMegabytes(4);

    /** Fills in the defaults and checks every setting, so that a bad tier fails at start-up, not at its first call. */
    @ConstructorBinding
    public TritonGeneratorProperties {
        if (target == null || !target.matches("[^\\s:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("triton.target must be host:port, was '" + target + "'");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("triton.model must name a model in Triton's repository");
        }
        TritonLlmProfile layout = TritonLlmProfile.byName(profile);
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException("triton.timeout must be at least 1ms, was " + timeout);
        }
        modelVersion = modelVersion == null ? "" : modelVersion.strip();
        promptFormat = promptFormat == null || promptFormat.isBlank() ? PromptFormat.CHATML.configName() : promptFormat;
        PromptFormat.byName(promptFormat);
        temperature = temperature == null ? 0.2 : temperature;
        if (!(temperature >= 0 && temperature <= 2)) {
            throw new IllegalArgumentException("triton.temperature must be between 0 and 2, was " + temperature);
        }
        tls = tls != null && tls;
        maxInboundMessageSize = maxInboundMessageSize == null ? DEFAULT_MAX_INBOUND_MESSAGE_SIZE : maxInboundMessageSize;
        if (maxInboundMessageSize.toBytes() < 1 || maxInboundMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("triton.max-inbound-message-size must be between 1B and 2GB, was "
                    + maxInboundMessageSize);
        }
        textInput = textInput == null || textInput.isBlank() ? "text_input" : textInput;
        textOutput = textOutput == null || textOutput.isBlank() ? "text_output" : textOutput;
        batchDimension = batchDimension == null ? layout.batchDimensionByDefault() : batchDimension;
        requestTokenCounts = requestTokenCounts != null && requestTokenCounts;
        if (requestTokenCounts && layout != TritonLlmProfile.VLLM) {
            throw new IllegalArgumentException("triton.request-token-counts works with profile vllm only, not "
                    + layout.configName());
        }
    }

    /**
     * The required settings only; everything else takes its default.
     *
     * @param target  the gRPC address, {@code host:port}
     * @param model   the model name in Triton's repository
     * @param profile the tensor layout
     * @param timeout the longest a generation may take, or {@code null} for the default
     */
    public TritonGeneratorProperties(String target, String model, String profile, Duration timeout) {
        this(target, model, profile, timeout, null, null, null, null, null, null, null, null, null);
    }

    /** The tensor layout named by {@link #profile()}. */
    public TritonLlmProfile layout() {
        return TritonLlmProfile.byName(profile);
    }

    /** The prompt format named by {@link #promptFormat()}. */
    public PromptFormat format() {
        return PromptFormat.byName(promptFormat);
    }

    /** Opens a channel to {@link #target()}; nothing connects until the first call. */
    public ManagedChannel openChannel() {
        ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
        return Grpc.newChannelBuilder(target, credentials)
                .maxInboundMessageSize((int) maxInboundMessageSize.toBytes())
                .userAgent("kb-inference-service")
                .build();
    }
}
