package io.kb.inference.generate.triton;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationException.Kind;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.GeneratorReadiness;
import io.kb.inference.generate.PromptMessage;
import io.kb.inference.generate.TokenSink;
import io.kb.kserve.InferParameters;
import io.kb.kserve.Tensors;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.kb.kserve.grpc.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import io.kb.kserve.grpc.KServe.InferTensorContents;
import io.kb.kserve.grpc.KServe.ModelInferRequest;
import io.kb.kserve.grpc.KServe.ModelInferResponse;
import io.kb.kserve.grpc.KServe.ModelReadyRequest;
import io.kb.kserve.grpc.KServe.ModelStreamInferResponse;
import io.kb.kserve.grpc.KServe.ServerReadyRequest;

/**
 * {@link Generator} for an LLM served by Triton Inference Server as a decoupled model: each generation is one
 * request on its own {@code ModelStreamInfer} stream, with streaming on and
 * {@code triton_enable_empty_final_response} set, so that the end is always marked by a response flagged
 * {@code triton_final_response}, with or without text. Each response's {@code text_output} delta goes to the sink
 * as it arrives.
 *
 * <p>The earlier of the request's deadline and the configured timeout is both the gRPC deadline and Triton's
 * {@code timeout} parameter, so that Triton also drops a request that waited too long in its queue. Failures map to
 * {@link GenerationException.Kind}: UNAVAILABLE from an unreachable server, TIMEOUT from a passed deadline,
 * OVERLOADED from RESOURCE_EXHAUSTED or a full model queue, FAILED from any other error the server reports. When
 * the sink throws {@link GenerationCancelledException}, or the calling thread is interrupted, the call is
 * cancelled so that Triton stops generating.
 *
 * <p>Thread-safe; each call blocks its (virtual) thread. Closing shuts down the channel only when the generator
 * opened it.
 */
public final class TritonGenerator implements Generator, GeneratorReadiness, AutoCloseable {

    private static final Duration MAX_PROBE_DEADLINE = Duration.ofSeconds(2);
    private static final String NUM_INPUT_TOKENS = "num_input_tokens";
    private static final String NUM_OUTPUT_TOKENS = "num_output_tokens";
    private static final String FINISH_REASON = "finish_reason";

    private final TritonGeneratorProperties properties;
    private final TritonLlmProfile profile;
    private final PromptFormat promptFormat;
    private final GRPCInferenceServiceStub stub;
    private final GRPCInferenceServiceBlockingStub probeStub;
    private final Duration probeDeadline;
    private final ManagedChannel ownedChannel;

    /**
     * A generator on a channel the caller owns and closes, e.g. one shared by the tiers of one server.
     *
     * @param channel    a channel to Triton's gRPC port
     * @param properties the model and how to call it
     */
    public TritonGenerator(Channel channel, TritonGeneratorProperties properties) {
        this(channel, properties, null);
    }

    private TritonGenerator(Channel channel, TritonGeneratorProperties properties, ManagedChannel ownedChannel) {
        this.properties = properties;
        this.profile = properties.layout();
        this.promptFormat = properties.format();
        this.stub = GRPCInferenceServiceGrpc.newStub(channel);
        this.probeStub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        this.probeDeadline = properties.timeout().compareTo(MAX_PROBE_DEADLINE) < 0 ? properties.timeout()
                : MAX_PROBE_DEADLINE;
        this.ownedChannel = ownedChannel;
    }

    /**
     * A generator with its own channel to {@link TritonGeneratorProperties#target()}, shut down by {@link #close()}.
     * Nothing connects until the first call.
     *
     * @param properties the server, the model and how to call it
     */
    public static TritonGenerator connect(TritonGeneratorProperties properties) {
        ManagedChannel channel = properties.openChannel();
        return new TritonGenerator(channel, properties, channel);
    }

    @Override
    public Generation generate(GenerationRequest request, TokenSink sink) {
        Instant now = Instant.now();
        Instant timeoutAt = now.plus(properties.timeout());
        Instant deadline = request.deadline().isBefore(timeoutAt) ? request.deadline() : timeoutAt;
        long budgetNanos = Duration.between(now, deadline).toNanos();
        if (budgetNanos <= 0) {
            throw new GenerationException(Kind.TIMEOUT, "the deadline passed before " + describe() + " was called",
                    false);
        }
        long deadlineNanos = System.nanoTime() + budgetNanos;
        String prompt = promptFormat.render(request.messages().isEmpty()
                ? List.of(PromptMessage.user(request.question())) : request.messages());
        String id = UUID.randomUUID().toString();
        ModelInferRequest inferRequest = inferRequest(id, prompt, request.maxTokens(), budgetNanos);

        Progress progress = new Progress();
        TritonStreamCall call = TritonStreamCall.start(
                stub.withDeadlineAfter(budgetNanos, TimeUnit.NANOSECONDS), inferRequest);
        boolean finished = false;
        try {
            while (true) {
                ModelStreamInferResponse response = call.next(deadlineNanos);
                if (response == null) {
                    throw new GenerationException(Kind.TIMEOUT, describe() + " did not finish within "
                            + Duration.ofNanos(budgetNanos).toMillis() + " ms", progress.textSent);
                }
                if (!response.getErrorMessage().isEmpty()) {
                    throw reported(response.getErrorMessage(), progress.textSent);
                }
                ModelInferResponse answer = response.getInferResponse();
                if (!answer.getId().isEmpty() && !answer.getId().equals(id)) {
                    continue;
                }
                read(answer, progress, sink);
                if (InferParameters.isFinal(answer)) {
                    finished = true;
                    call.finish();
                    return progress.generation(prompt, request.maxTokens());
                }
            }
        } catch (StatusRuntimeException e) {
            throw translate(e.getStatus(), progress.textSent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("interrupted while waiting for " + describe());
        } finally {
            if (!finished) {
                call.cancel("generation abandoned", null);
            }
        }
    }

    private ModelInferRequest inferRequest(String id, String prompt, int maxTokens, long budgetNanos) {
        ModelInferRequest.Builder builder = ModelInferRequest.newBuilder()
                .setModelName(properties.model())
                .setModelVersion(properties.modelVersion())
                .setId(id)
                .putParameters(InferParameters.ENABLE_EMPTY_FINAL_RESPONSE, InferParameters.of(true))
                .putParameters(InferParameters.TIMEOUT_MICROSECONDS,
                        InferParameters.of(Math.max(1, TimeUnit.NANOSECONDS.toMicros(budgetNanos))));
        profile.addInputs(new TritonLlmProfile.Inputs(builder, properties.textInput(), properties.batchDimension()),
                prompt, maxTokens, properties.temperature(), properties.requestTokenCounts());
        return builder.build();
    }

    /** Hands the response's text to the sink and keeps what it says about tokens and the finish. */
    private void read(ModelInferResponse answer, Progress progress, TokenSink sink) {
        for (int i = 0; i < answer.getOutputsCount(); i++) {
            ModelInferResponse.InferOutputTensor output = answer.getOutputs(i);
            ByteString raw = i < answer.getRawOutputContentsCount() ? answer.getRawOutputContents(i) : null;
            try {
                String name = output.getName();
                if (name.equals(properties.textOutput())) {
                    String delta = String.join("", strings(raw, output.getContents()));
                    if (!delta.isEmpty()) {
                        progress.text.append(delta);
                        progress.deltas++;
                        // Set before the sink runs: once it has the text, the reader may have seen it.
                        progress.textSent = true;
                        sink.accept(delta);
                    }
                } else if (name.equals(NUM_INPUT_TOKENS)) {
                    progress.promptTokens = firstCount(raw, output.getContents());
                } else if (name.equals(NUM_OUTPUT_TOKENS)) {
                    // The vllm backend reports the tokens of each delta, not a running total.
                    int tokens = firstCount(raw, output.getContents());
                    if (tokens >= 0) {
                        progress.completionTokens = Math.max(0, progress.completionTokens) + tokens;
                    }
                } else if (name.equals(FINISH_REASON)) {
                    strings(raw, output.getContents()).stream()
                            .filter(r -> !r.isBlank() && !"None".equals(r))
                            .findFirst().ifPresent(r -> progress.finishReason = r);
                }
            } catch (IllegalArgumentException e) {
                throw new GenerationException(Kind.FAILED, describe() + " answered a malformed '"
                        + output.getName() + "' tensor: " + e.getMessage(), progress.textSent, e);
            }
        }
    }

    /** A BYTES tensor's elements, from the raw contents Triton answers with or from the typed contents. */
    private static List<String> strings(ByteString raw, InferTensorContents typed) {
        if (raw != null) {
            return Tensors.decodeStrings(raw);
        }
        return typed.getBytesContentsList().stream().map(ByteString::toStringUtf8).toList();
    }

    /** The first element of a UINT32 count tensor, or -1 when it holds none. */
    private static int firstCount(ByteString raw, InferTensorContents typed) {
        if (raw != null) {
            int[] values = Tensors.decodeInt32(raw);
            return values.length == 0 ? -1 : values[0];
        }
        return typed.getUintContentsCount() == 0 ? -1 : typed.getUintContents(0);
    }

    /** An error Triton reported for the request without ending the stream. */
    private GenerationException reported(String message, boolean textSent) {
        String lower = message.toLowerCase(Locale.ROOT);
        // Triton's wording when a model's queue is at max_queue_size, and when a request outlived its timeout there.
        Kind kind = lower.contains("queue size") || lower.contains("queue is full") ? Kind.OVERLOADED
                : lower.contains("timeout expired") ? Kind.TIMEOUT
                : Kind.FAILED;
        return new GenerationException(kind, describe() + " reported: " + message, textSent);
    }

    private GenerationException translate(Status status, boolean textSent, Throwable cause) {
        String reason = status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        return switch (status.getCode()) {
            case UNAVAILABLE -> new GenerationException(Kind.UNAVAILABLE, describe() + " is unavailable: " + reason,
                    textSent, cause);
            case DEADLINE_EXCEEDED -> new GenerationException(Kind.TIMEOUT, describe() + " did not finish in time: "
                    + reason, textSent, cause);
            case RESOURCE_EXHAUSTED -> new GenerationException(Kind.OVERLOADED, describe() + " is overloaded: "
                    + reason, textSent, cause);
            case OK -> new GenerationException(Kind.FAILED, describe()
                    + " closed the stream before the request's final response", textSent, cause);
            default -> new GenerationException(Kind.FAILED, describe() + " failed: " + reason, textSent, cause);
        };
    }

    /** Whether Triton answers and has the model loaded; false on any error, within at most 2 s. */
    @Override
    public boolean ready() {
        try {
            GRPCInferenceServiceBlockingStub probe = probeStub.withDeadlineAfter(probeDeadline.toNanos(),
                    TimeUnit.NANOSECONDS);
            return probe.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()
                    && probe.modelReady(ModelReadyRequest.newBuilder().setName(properties.model())
                            .setVersion(properties.modelVersion()).build()).getReady();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Shuts down the channel if {@link #connect} opened it; a channel passed in stays open. */
    @Override
    public void close() {
        if (ownedChannel == null) {
            return;
        }
        ownedChannel.shutdown();
        try {
            if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
                ownedChannel.shutdownNow();
            }
        } catch (InterruptedException e) {
            ownedChannel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TritonGenerator[" + describe() + " at " + properties.target() + ", " + profile.configName() + "]";
    }

    private String describe() {
        return "Triton model '" + properties.model() + "'"
                + (properties.modelVersion().isEmpty() ? "" : " version " + properties.modelVersion());
    }

    /** What one generation has received so far. */
    private static final class Progress {
        private final StringBuilder text = new StringBuilder();
        private int deltas;
        private boolean textSent;
        private int promptTokens = -1;
        private int completionTokens = -1;
        private String finishReason;

        /** The result, with the backend's token counts where it reported them and estimates elsewhere. */
        Generation generation(String prompt, int maxTokens) {
            // About four characters per token in English text; only a stand-in for the backend's count.
            int prompted = promptTokens >= 0 ? promptTokens : Math.max(1, (prompt.length() + 3) / 4);
            int completed = completionTokens >= 0 ? completionTokens : deltas;
            String reason = finishReason != null ? finishReason
                    : completionTokens >= maxTokens ? "length" : "stop";
            return new Generation(text.toString(), prompted, completed, reason);
        }
    }
}
