package io.kb.embedding.model;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import jakarta.validation.Valid;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where the Triton-hosted models are and how they are called ({@code kb.embedding.triton}); used when
 * {@code kb.embedding.backend} is {@code triton}. Every model is reached over one gRPC channel.
 *
 * @param target         the server's gRPC endpoint, {@code host:port} (Triton's default gRPC port is 8001)
 * @param tls            whether the channel uses TLS, trusting the JVM's certificate authorities
 * @param deadline       the longest one inference call may take: the gRPC deadline, and also the request's
 *                       {@code timeout} parameter so that Triton drops a request that waited too long in its queue
 * @param maxMessageSize the largest response accepted; a [32, 512, 384] FP32 hidden state is 24 MiB
 * @param models         the models served, each a Triton model; at least one
 */
public record TritonOptions(
        String target,
        @DefaultValue("false") boolean tls,
        @DefaultValue("10s") Duration deadline,
        @DefaultValue("64MB") DataSize maxMessageSize,
        @Valid List<Model> models) {

    /** Checks the settings, also when built outside configuration binding. */
    public TritonOptions {
        if (target == null || !target.matches("[^\\s:]+:\\d{1,5}")) {
            throw new IllegalArgumentException("kb.embedding.triton.target must be host:port, was '" + target + "'");
        }
        if (deadline == null || deadline.toMillis() < 1) {
            throw new IllegalArgumentException("kb.embedding.triton.deadline must be at least 1ms, was " + deadline);
        }
        if (maxMessageSize == null || maxMessageSize.toBytes() < 1 || maxMessageSize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("kb.embedding.triton.max-message-size must be between 1B and 2GB");
        }
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("kb.embedding.triton.models must list at least one model");
        }
        models = List.copyOf(models);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < models.size(); i++) {
            if (!names.add(models.get(i).name())) {
                throw new IllegalArgumentException("kb.embedding.triton.models[" + i + "].name: '"
                        + models.get(i).name() + "' is served twice");
            }
        }
    }

    /** The names under which this service serves the models, in configuration order. */
    public List<String> names() {
        return models.stream().map(Model::name).toList();
    }

    /** Opens the channel to {@link #target()}; nothing connects until the first call. */
    public ManagedChannel openChannel() {
        ChannelCredentials credentials = tls ? TlsChannelCredentials.create() : InsecureChannelCredentials.create();
        return Grpc.newChannelBuilder(target, credentials)
                .maxInboundMessageSize((int) maxMessageSize.toBytes())
                .userAgent("kb-embedding-service")
                .build();
    }

    /**
     * One Triton-hosted embedding model ({@code kb.embedding.triton.models[i]}).
     *
     * @param name          the name this service serves it under, in API requests and next to every vector;
     *                      defaults to {@code model-name}
     * @param modelName     the model's name in Triton's model repository
     * @param modelVersion  the version to call; empty lets Triton choose by the model's version policy
     * @param inputStyle    {@code text}: the model takes the texts as a BYTES tensor and tokenizes server-side
     *                      (an ensemble with a tokenizer step, or a Python backend) and answers pooled vectors;
     *                      {@code tokens}: this service tokenizes and sends token ids
     * @param tokenizer     tokens only: the bundled model whose Hugging Face tokenizer to use; must be the
     *                      tokenizer the hosted model was trained with
     * @param dimension     the length of the vectors
     * @param maxTokens     the model's window in tokens, special tokens included; tokens style cuts longer
     *                      texts into windows of this size and averages their vectors
     * @param batchDimension whether the model has a batch dimension ({@code max_batch_size > 0} in its
     *                      config.pbtxt); without one every text is a request of its own
     * @param maxBatchSize  the most sequences (texts, or windows of long texts) in one request; at most the
     *                      model's {@code max_batch_size}
     * @param textInput     text only: the BYTES input tensor
     * @param inputIds      tokens only: the token-id input tensor
     * @param attentionMask tokens only: the attention-mask input tensor
     * @param tokenTypeIds  tokens only: the token-type input tensor, sent as zeros; empty if the model has none
     * @param tokenDatatype tokens only: the datatype of the token inputs, {@code INT64} or {@code INT32}
     * @param output        the FP32 output tensor to read
     * @param outputPooling {@code cls}: the output is the last hidden state {@code [batch, seq, dim]} and
     *                      this service takes the first token's vector and L2-normalizes it; {@code none}:
     *                      the output is already one vector per sequence {@code [batch, dim]} (normalized
     *                      here anyway). Text style needs {@code none}
     */
    public record Model(
            String name,
            String modelName,
            @DefaultValue("") String modelVersion,
            @DefaultValue("tokens") InputStyle inputStyle,
            String tokenizer,
            int dimension,
            @DefaultValue("512") int maxTokens,
            @DefaultValue("true") boolean batchDimension,
            @DefaultValue("32") int maxBatchSize,
            @DefaultValue("TEXT") String textInput,
            @DefaultValue("input_ids") String inputIds,
            @DefaultValue("attention_mask") String attentionMask,
            @DefaultValue("") String tokenTypeIds,
            @DefaultValue("INT64") TokenDatatype tokenDatatype,
            @DefaultValue("last_hidden_state") String output,
            @DefaultValue("cls") Pooling outputPooling) {

        /** Checks the settings and fills in the name; the messages name the setting. */
        public Model {
            String at = "kb.embedding.triton.models[" + (name != null ? name : modelName) + "].";
            if (modelName == null || modelName.isBlank()) {
                throw new IllegalArgumentException("kb.embedding.triton.models[].model-name must name a Triton model");
            }
            name = name == null || name.isBlank() ? modelName : name;
            modelVersion = modelVersion == null ? "" : modelVersion;
            inputStyle = inputStyle == null ? InputStyle.TOKENS : inputStyle;
            if (dimension < 1) {
                throw new IllegalArgumentException(at + "dimension must be set to the model's vector length");
            }
            if (maxTokens < 3) {
                throw new IllegalArgumentException(at + "max-tokens must be at least 3, was " + maxTokens);
            }
            if (maxBatchSize < 1) {
                throw new IllegalArgumentException(at + "max-batch-size must be at least 1, was " + maxBatchSize);
            }
            requireName(at + "output", output);
            tokenTypeIds = tokenTypeIds == null ? "" : tokenTypeIds;
            tokenDatatype = tokenDatatype == null ? TokenDatatype.INT64 : tokenDatatype;
            outputPooling = outputPooling == null ? Pooling.CLS : outputPooling;
            if (inputStyle == InputStyle.TEXT) {
                requireName(at + "text-input", textInput);
                if (outputPooling != Pooling.NONE) {
                    throw new IllegalArgumentException(at + "output-pooling must be none with input-style text: "
                            + "a server-side tokenizer's token positions are unknown here");
                }
            } else {
                requireName(at + "input-ids", inputIds);
                requireName(at + "attention-mask", attentionMask);
                if (tokenizer == null || BundledOnnxModel.byName(tokenizer).isEmpty()) {
                    throw new IllegalArgumentException(at + "tokenizer must be one of " + BundledOnnxModel.names()
                            + " with input-style tokens, was '" + tokenizer + "'");
                }
            }
        }

        private static void requireName(String setting, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(setting + " must name a tensor");
            }
        }

        /** The tokenizer of a tokens-style model. */
        BundledOnnxModel bundledTokenizer() {
            return BundledOnnxModel.byName(tokenizer).orElseThrow();
        }
    }

    /** What the model takes. */
    public enum InputStyle {
        /** A BYTES tensor of UTF-8 texts; the model tokenizes. */
        TEXT,
        /** Token ids and an attention mask; this service tokenizes. */
        TOKENS
    }

    /** The datatype of token inputs, as the model's config declares them. */
    public enum TokenDatatype {
        /** {@code TYPE_INT64}, what Hugging Face ONNX exports take. */
        INT64,
        /** {@code TYPE_INT32}, common for TensorRT engines. */
        INT32
    }

    /** How the output becomes one vector per sequence. */
    public enum Pooling {
        /** The output is the last hidden state; take the first ({@code [CLS]}) token's vector. */
        CLS,
        /** The output is pooled already. */
        NONE
    }
}
