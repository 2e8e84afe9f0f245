package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.kb.cli.KbCommand;
import io.kb.retrieval.index.lucene.LuceneIndexSettings;
import io.kb.retrieval.index.lucene.VectorEncoding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Small end-to-end runs: the figures are not timed here, only that they are complete and the recall is high. */
class IndexBenchmarkTest {

    @TempDir
    Path temp;

    @Test
    void buildsSearchesAndMeasuresAHighRecallOnASmallCorpus() {
        IndexBenchmark bench = parse("--chunks", "5000", "--dim", "32", "--queries", "40", "--warm-up", "5",
                "--candidates", "50,10");

        IndexBenchResult result = bench.measure(quiet());

        assertThat(result.setup().chunks()).isEqualTo(5000);
        assertThat(result.build().reused()).isFalse();
        assertThat(result.build().seconds()).isPositive();
        assertThat(result.index().sizeOnDiskBytes()).isGreaterThan(5000L * 32 * 4);
        assertThat(result.index().segments()).isPositive();
        assertThat(result.index().heapBytes()).isPositive();
        assertThat(result.searches()).extracting(IndexBenchResult.Searches::candidates).containsExactly(50, 10);
        assertThat(result.searches()).allSatisfy(s -> {
            assertThat(s.latencyNanos()).hasSize(40);
            assertThat(s.recall()).isGreaterThanOrEqualTo(0.9);
        });
        // 5000 chunks are 10 documents of 500; the tenth is another group's, so the caller reads 9 of 10.
        assertThat(result.setup().readableShare()).isEqualTo(0.9);
        String report = result.report();
        for (String expected : new String[] {"build", "chunks/s", "on disk", "GiB", "heap", "MiB", "p50 ms", "p99 ms",
                "cpu ms/q", "recall@10", "Target at 1M x 512"}) {
            assertThat(report).contains(expected);
        }
        assertThat(result.json(tools.jackson.databind.json.JsonMapper.builder().build())).doesNotContain("\n")
                .contains("\"recall\":").contains("\"chunksPerSecond\":");
    }

    @Test
    void keepsTheIndexInTheFolderReusesItAndRefusesOtherParameters() {
        Path folder = temp.resolve("kept");
        IndexBenchResult first = parse("--chunks", "600", "--dim", "16", "--queries", "5", "--warm-up", "0",
                "--encoding", "int8", "--index", folder.toString()).measure(quiet());

        IndexBenchResult second = parse("--chunks", "600", "--dim", "16", "--queries", "5", "--warm-up", "0",
                "--encoding", "int8", "--force-merge", "1", "--index", folder.toString()).measure(quiet());

        assertThat(first.build().reused()).isFalse();
        assertThat(second.build().reused()).isTrue();
        assertThat(second.build().seconds()).isEqualTo(first.build().seconds());
        assertThat(first.index().segments()).isGreaterThan(1);
        assertThat(first.index().mergeSeconds()).isNaN();
        assertThat(second.index().segments()).isEqualTo(1);
        assertThat(second.index().mergeSeconds()).isPositive();
        assertThat(second.report()).contains("merged    to 1 segments");
        assertThat(Files.exists(folder.resolve(IndexBenchManifest.FILE))).isTrue();
        assertThatThrownBy(() -> parse("--chunks", "600", "--dim", "16", "--encoding", "float32", "--index",
                folder.toString()).measure(quiet()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--encoding int8 (asked: float32)");
    }

    @Test
    void searchesWithTheServicesIndexSettingsUnlessAnOptionSaysOtherwise() {
        assertThat(parse().settings()).isEqualTo(LuceneIndexSettings.DEFAULTS);
        assertThat(parse("--encoding", "int8").settings())
                .isEqualTo(LuceneIndexSettings.DEFAULTS.withVectorEncoding(VectorEncoding.INT8));
        assertThat(parse("--search-ef", "300,100", "--query-cache-mb", "0").settings())
                .isEqualTo(LuceneIndexSettings.DEFAULTS.withSearchEf(300).withQueryCacheMb(0));
    }

    @Test
    void measuresOneRowPerSearchDepthAndCandidatesValue() {
        IndexBenchResult result = parse("--chunks", "1000", "--dim", "16", "--queries", "5", "--warm-up", "0",
                "--candidates", "20,10", "--search-ef", "10,40", "--query-cache-mb", "0").measure(quiet());

        assertThat(result.searches()).extracting(IndexBenchResult.Searches::searchEf).containsExactly(10, 10, 40, 40);
        assertThat(result.searches()).extracting(IndexBenchResult.Searches::candidates).containsExactly(20, 10, 20, 10);
        assertThat(result.setup().queryCacheMb()).isZero();
        assertThat(result.table()).contains("search-ef");
    }

    @Test
    void refusesCandidatesBelowKAndBadSettingsWithClearMessages() {
        assertThat(run("bench", "index", "--candidates", "5")).contains("--candidates must each be --k (10)");
        assertThat(run("bench", "index", "--encoding", "int3")).contains("float32, int8 or int4");
        assertThat(run("bench", "index", "--merge-workers", "0")).contains("merge-workers must be 1 to 64");
        assertThat(run("bench", "index", "--search-ef", "0")).contains("search-ef must be 1 to 10000");
    }

    @Test
    void mapsHitsBackToChunkNumbersAndDocumentsToAcls() {
        assertThat(IndexBenchmark.documentId(12)).isEqualTo("d0000012");
        assertThat(IndexBenchmark.readable(0)).isTrue();
        assertThat(IndexBenchmark.readable(9 * 500)).isFalse();
        assertThat(IndexBenchmark.readable(9 * 500 + 499)).isFalse();
        assertThat(IndexBenchmark.readable(10 * 500)).isTrue();
        assertThat(IndexBenchmark.text(5, 3)).startsWith("topic3 ").isEqualTo(IndexBenchmark.text(5, 3));
    }

    private static IndexBenchmark parse(String... args) {
        IndexBenchmark bench = new IndexBenchmark();
        new CommandLine(bench).parseArgs(args);
        return bench;
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = KbCommand.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.execute(args);
        return err.toString(StandardCharsets.UTF_8);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }
}
