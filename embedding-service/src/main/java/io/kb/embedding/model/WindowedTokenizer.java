package io.kb.embedding.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

/**
 * The client-side half of a BERT-style embedding model, shared by every adapter that tokenizes in this
 * process ({@link OnnxEmbeddingModel}, {@link TritonEmbeddingModel} with token input): a bundled model's
 * Hugging Face tokenizer, the cutting of a long text into windows of at most the model's window, each
 * with the text's own {@code [CLS]} and {@code [SEP]}, and the weighted average of the windows' vectors.
 *
 * <p>Thread-safe; close it to free the tokenizer's native memory.
 */
final class WindowedTokenizer implements AutoCloseable {

    /** One sequence the model reads: a whole text, or a piece of a long one with its own [CLS] and [SEP]. */
    record Window(int text, long[] ids) {
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private WindowedTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * Loads a bundled model's tokenizer.json from the classpath.
     *
     * @param model whose tokenizer
     * @param maxTokens the model's window, special tokens included
     */
    static WindowedTokenizer load(BundledOnnxModel model, int maxTokens) {
        try (InputStream tokens = resource(model.tokenizerResource())) {
            // The model's window is handled here (split or reject), so the tokenizer must neither cut nor pad.
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokens, Map.of(
                    "addSpecialTokens", "true", "truncation", "false", "padding", "false",
                    "maxLength", Integer.toString(maxTokens)));
            return new WindowedTokenizer(tokenizer, maxTokens);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tokenizer of " + model.modelName(), e);
        }
    }

    /** The tokens of a text, special tokens included, before any splitting. */
    int countTokens(String text) {
        return tokenizer.encode(Objects.requireNonNull(text, "text"), true, false).getIds().length;
    }

    /**
     * Tokenizes texts and cuts each into windows of at most the model's window.
     *
     * @return the windows in text order; a text's windows are adjacent
     */
    List<Window> windows(List<String> texts) {
        Encoding[] encodings = tokenizer.batchEncode(texts, true, false);
        List<Window> windows = new ArrayList<>(texts.size());
        for (int i = 0; i < encodings.length; i++) {
            cut(i, encodings[i].getIds(), windows);
        }
        return windows;
    }

    private void cut(int text, long[] ids, List<Window> windows) {
        if (ids.length <= maxTokens) {
            windows.add(new Window(text, ids));
            return;
        }
        int content = maxTokens - 2;
        for (int from = 1; from < ids.length - 1; from += content) {
            int to = Math.min(from + content, ids.length - 1);
            long[] window = new long[to - from + 2];
            window[0] = ids[0];
            System.arraycopy(ids, from, window, 1, to - from);
            window[window.length - 1] = ids[ids.length - 1];
            windows.add(new Window(text, window));
        }
    }

    /**
     * Averages each text's window vectors, weighted by their token counts, and re-normalizes; a text of one
     * window keeps its vector as it is.
     *
     * @param textCount     how many texts the windows came from
     * @param windows       the windows, as {@link #windows} made them
     * @param windowVectors one normalized vector per window; reused for the result
     * @return one vector per text, in text order
     */
    static List<float[]> combine(int textCount, List<Window> windows, float[][] windowVectors) {
        float[][] sums = new float[textCount][];
        int[] pieces = new int[textCount];
        for (int w = 0; w < windows.size(); w++) {
            int text = windows.get(w).text();
            pieces[text]++;
            if (sums[text] == null) {
                sums[text] = windowVectors[w];
                continue;
            }
            if (pieces[text] == 2) {
                // Scale the first window by its weight now that the text turns out to have several.
                int firstWeight = windows.get(w - 1).ids().length;
                scale(sums[text], firstWeight);
            }
            int weight = windows.get(w).ids().length;
            for (int d = 0; d < sums[text].length; d++) {
                sums[text][d] += weight * windowVectors[w][d];
            }
        }
        List<float[]> vectors = new ArrayList<>(textCount);
        for (int t = 0; t < textCount; t++) {
            if (pieces[t] > 1) {
                normalize(sums[t]);
            }
            vectors.add(sums[t]);
        }
        return vectors;
    }

    /** Scales a vector to unit length in place (a zero vector stays zero). */
    static void normalize(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        double norm = Math.sqrt(sum);
        if (norm > 0) {
            scale(vector, (float) (1.0 / norm));
        }
    }

    private static void scale(float[] vector, float factor) {
        for (int d = 0; d < vector.length; d++) {
            vector[d] *= factor;
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = WindowedTokenizer.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("classpath resource " + name + " is missing; is its langchain4j bge artifact a dependency?");
        }
        return in;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
