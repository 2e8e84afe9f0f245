package io.kb.embedding.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kb.embedding.model.WindowedTokenizer.Window;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * {@link EmbeddingModel} that runs a BERT-style encoder in-process with ONNX Runtime: the embedded
 * default, needing no server and no network. The vector of a text is the last hidden state of its first
 * token ({@code [CLS]} pooling), L2-normalized; texts are tokenized with the model's Hugging Face tokenizer.
 *
 * <p>Two inference modes ({@link OnnxOptions.Inference}):
 * <ul>
 *   <li>{@code BATCHED}: each group of token sequences goes to the model as one {@code [batch, seq]}
 *       tensor padded to the group's longest sequence, with an attention mask hiding the padding.
 *       Sequences are sorted by length before grouping, and a group holds at most {@code tokenBudget}
 *       padded tokens, so short texts are not padded to a long one and no call allocates attention
 *       matrices for a huge batch of full windows.</li>
 *   <li>{@code PER_TEXT} (default): one ONNX call per sequence, the calls of one {@code embed} in parallel.</li>
 * </ul>
 *
 * <p>Why per-text is the default although batched is faster: the bundled models are dynamically
 * quantized (48 {@code DynamicQuantizeLinear} nodes), which compute one activation scale over the whole
 * input tensor of a call. In a batch, a text's vector therefore depends on its neighbours: measured on
 * 24 mixed paragraphs, up to 0.024 per component and a cosine as low as 0.993 against the same text
 * alone, far outside the required 1e-4. Behind the dynamic micro-batcher the neighbours are whatever
 * traffic arrived at the same moment, so the same query would get a different vector on every call.
 * Per-text inference equals langchain4j's reference within 1e-6 and is reproducible. It is also the
 * faster one here: {@code BatchingBenchmark} (256 paragraphs of mixed length, 2 CPU cores, best of 2
 * rounds) measured batched throughput at 0.90x (batch size 1), 0.34x (8) and 0.71x (32) of the
 * parallel per-text throughput of langchain4j's {@code embedAll}, i.e. per-text won by 1.1x to 2.9x; the
 * int8 matrix products of the quantized graph gain nothing from a larger batch on a CPU, while padding
 * and the intra-op thread pool cost. Batched stays selectable for hosts where that changes.
 *
 * <p>Thread-safe: the ONNX session and the tokenizer are shared by concurrent callers.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, TokenCounter, AutoCloseable {

    private final String name;
    private final int dimension;
    private final int maxTokens;
    private final OnnxOptions options;
    private final ExecutorService parallel;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final WindowedTokenizer tokenizer;
    private final boolean takesTokenTypeIds;

    private OnnxEmbeddingModel(String name, int dimension, int maxTokens, OnnxOptions options, OrtEnvironment environment,
            OrtSession session, WindowedTokenizer tokenizer) {
        this.name = name;
        this.dimension = dimension;
        this.maxTokens = maxTokens;
        this.options = options;
        int threads = options.parallelism() > 0 ? options.parallelism() : Runtime.getRuntime().availableProcessors();
        // Platform threads: an ONNX call is a long native call that would pin a virtual thread's carrier anyway.
        this.parallel = options.inference() == OnnxOptions.Inference.PER_TEXT && threads > 1
                ? Executors.newFixedThreadPool(threads, Thread.ofPlatform().name(name + "-onnx-", 0).daemon().factory())
                : null;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.takesTokenTypeIds = session.getInputNames().contains("token_type_ids");
    }

    /**
     * Loads a bundled model from the classpath; takes about half a second and some 100 MB of memory.
     *
     * @param model which model
     * @param options inference mode and thread counts
     * @return the loaded model; close it to free native memory and threads
     */
    public static OnnxEmbeddingModel load(BundledOnnxModel model, OnnxOptions options) {
        WindowedTokenizer tokenizer = WindowedTokenizer.load(model, BundledOnnxModel.MAX_TOKENS);
        try (InputStream graph = resource(model.modelResource())) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
                if (options.intraOpThreads() > 0) {
                    sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
                }
                String spin = options.allowSpinning() ? "1" : "0";
                sessionOptions.addConfigEntry("session.intra_op.allow_spinning", spin);
                sessionOptions.addConfigEntry("session.inter_op.allow_spinning", spin);
                OrtSession session = environment.createSession(graph.readAllBytes(), sessionOptions);
                return new OnnxEmbeddingModel(model.modelName(), model.dimension(), BundledOnnxModel.MAX_TOKENS,
                        options, environment, session, tokenizer);
            }
        } catch (IOException e) {
            tokenizer.close();
            throw new UncheckedIOException("cannot read the bundled model " + model.modelName(), e);
        } catch (OrtException e) {
            tokenizer.close();
            throw new IllegalStateException("ONNX Runtime cannot load " + model.modelName(), e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
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
        float[][] windowVectors = new float[windows.size()][];
        if (options.inference() == OnnxOptions.Inference.BATCHED) {
            for (List<Integer> group : groups(windows)) {
                float[][] vectors = infer(group.stream().map(windows::get).toList());
                for (int g = 0; g < group.size(); g++) {
                    windowVectors[group.get(g)] = vectors[g];
                }
            }
        } else {
            inferEach(windows, windowVectors);
        }
        return WindowedTokenizer.combine(texts.size(), windows, windowVectors);
    }

    /** One ONNX call per window; all but the last run on the pool while the caller runs the last. */
    private void inferEach(List<Window> windows, float[][] windowVectors) {
        if (parallel == null || windows.size() == 1) {
            for (int w = 0; w < windows.size(); w++) {
                windowVectors[w] = infer(List.of(windows.get(w)))[0];
            }
            return;
        }
        List<Future<?>> pending = new ArrayList<>(windows.size() - 1);
        for (int w = 0; w < windows.size() - 1; w++) {
            int index = w;
            pending.add(parallel.submit(() -> windowVectors[index] = infer(List.of(windows.get(index)))[0]));
        }
        int last = windows.size() - 1;
        windowVectors[last] = infer(List.of(windows.get(last)))[0];
        for (Future<?> future : pending) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pending.forEach(f -> f.cancel(false));
                throw new IllegalStateException("interrupted while embedding with " + name, e);
            } catch (ExecutionException e) {
                pending.forEach(f -> f.cancel(false));
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    /** Groups window indices, longest first, so that each group's padded size stays within the token budget. */
    private List<List<Integer>> groups(List<Window> windows) {
        List<Integer> order = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt((Integer i) -> windows.get(i).ids().length).reversed());
        List<List<Integer>> groups = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        int longest = 0;
        for (int index : order) {
            int length = windows.get(index).ids().length;
            if (current.isEmpty()) {
                longest = length;
            } else if ((current.size() + 1) * longest > options.tokenBudget()) {
                groups.add(current);
                current = new ArrayList<>();
                longest = length;
            }
            current.add(index);
        }
        groups.add(current);
        return groups;
    }

    /** One ONNX call for a group of windows; returns each window's normalized [CLS] vector. */
    private float[][] infer(List<Window> group) {
        int batch = group.size();
        int seq = group.stream().mapToInt(w -> w.ids().length).max().orElseThrow();
        long[] ids = new long[batch * seq];
        long[] mask = new long[batch * seq];
        for (int b = 0; b < batch; b++) {
            long[] w = group.get(b).ids();
            System.arraycopy(w, 0, ids, b * seq, w.length);
            Arrays.fill(mask, b * seq, b * seq + w.length, 1L);
        }
        float[] hidden = lastHiddenState(ids, mask, batch, seq);
        float[][] vectors = new float[batch][dimension];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(hidden, b * seq * dimension, vectors[b], 0, dimension);
            WindowedTokenizer.normalize(vectors[b]);
        }
        return vectors;
    }

    /**
     * One ONNX call: the encoder's last hidden state for a batch of token sequences, unpooled. Used by
     * {@link #embed}, and by tests that serve this model as a Triton server would.
     *
     * @param ids   token ids, {@code [batch, seq]} row-major
     * @param mask  1 for a real token, 0 for padding, same shape
     * @param batch sequences
     * @param seq   tokens per (padded) sequence
     * @return {@code [batch, seq, dimension]} row-major
     */
    float[] lastHiddenState(long[] ids, long[] mask, int batch, int seq) {
        long[] shape = {batch, seq};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (takesTokenTypeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[batch * seq]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[] out = new float[batch * seq * dimension];
                hidden.get(0, out);
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX inference failed for " + name, e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxEmbeddingModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("classpath resource " + name + " is missing; is its langchain4j bge artifact a dependency?");
        }
        return in;
    }

    /** Frees the ONNX session and the tokenizer's native memory. */
    @Override
    public void close() {
        if (parallel != null) {
            parallel.shutdownNow();
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the ONNX session of " + name, e);
        } finally {
            tokenizer.close();
        }
    }
}
