package io.kb.embedding.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.embedding.model.OnnxEmbeddingModel;
import io.kb.embedding.model.OnnxOptions;
import io.kb.embedding.model.SampleTexts;

/**
 * Compares batched ONNX inference (one call per group of texts) with one call per text in parallel, on
 * the same 256 paragraphs of mixed length, at batch sizes 1, 8 and 32. Not a test (the name keeps it out
 * of surefire and failsafe); run it after {@code verify} with
 * {@code java -cp target/classes:target/test-classes:<test classpath> io.kb.embedding.bench.BatchingBenchmark [rounds]}.
 *
 * <p>The figures are ratios of throughput measured in the same run, so they survive a change of machine
 * better than absolute numbers. Results and the choice of default are in {@link OnnxEmbeddingModel}'s Javadoc.
 */
public final class BatchingBenchmark {

    private BatchingBenchmark() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<String> texts = SampleTexts.paragraphs(256);
        var reference = new BgeSmallEnV15QuantizedEmbeddingModel();
        try (var batched = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15,
                        OnnxOptions.DEFAULTS.withInference(OnnxOptions.Inference.BATCHED));
                var perText = OnnxEmbeddingModel.load(BundledOnnxModel.BGE_SMALL_EN_V15, OnnxOptions.DEFAULTS)) {
            Function<List<String>, Object> langchain4j =
                    batch -> reference.embedAll(batch.stream().map(TextSegment::from).toList());
            System.out.printf(Locale.ROOT, "%d texts, %d cores, best of %d rounds%n", texts.size(),
                    Runtime.getRuntime().availableProcessors(), rounds);
            System.out.printf(Locale.ROOT, "%6s %14s %14s %14s %18s%n", "batch", "batched t/s", "lc4j-par t/s",
                    "per-text t/s", "batched/parallel");
            for (int size : new int[] {1, 8, 32}) {
                double b = throughput(texts, size, rounds, batched::embed);
                double p = throughput(texts, size, rounds, langchain4j);
                double own = throughput(texts, size, rounds, perText::embed);
                System.out.printf(Locale.ROOT, "%6d %14.1f %14.1f %14.1f %17.2fx%n", size, b, p, own, b / p);
            }
        }
    }

    /** Texts per second, the best of several rounds after one warm-up round. */
    private static double throughput(List<String> texts, int batchSize, int rounds, Function<List<String>, ?> embed) {
        double best = 0;
        for (int round = -1; round < rounds; round++) {
            long start = System.nanoTime();
            for (int from = 0; from < texts.size(); from += batchSize) {
                embed.apply(texts.subList(from, Math.min(from + batchSize, texts.size())));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round >= 0) {
                best = Math.max(best, texts.size() / seconds);
            }
        }
        return best;
    }
}
