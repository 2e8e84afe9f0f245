package io.kb.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kb.cli.KbCommand;
import io.kb.retrieval.search.SearchProperties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kb eval retrieval} end to end on a small BEIR folder written here, with the real chunker, ONNX model,
 * Lucene index and hybrid search: documents on unrelated topics, queries whose answer is obvious, and one long
 * document that the chunker must cut into several chunks.
 */
class RetrievalEvaluationIT {

    @TempDir
    static Path temp;

    static Path beir;

    @BeforeAll
    static void writeTheTestSet() throws IOException {
        beir = temp.resolve("tiny");
        Files.createDirectories(beir.resolve("qrels"));
        List<String> corpus = new ArrayList<>(List.of(
                doc("volcano", "Volcanoes", "A volcano is an opening in the crust of a planet through which lava, "
                        + "volcanic ash and gases escape from the magma chamber below the surface."),
                doc("photosynthesis", "Photosynthesis", "Green plants turn sunlight, water and carbon dioxide into "
                        + "glucose, and release oxygen as a by-product, in their chloroplasts."),
                doc("chess", "Chess", "Chess is a board game for two players, played on a checkered board of "
                        + "sixty-four squares arranged in an eight by eight grid."),
                doc("ocean", "", "The Pacific is the largest and deepest of the oceans of the Earth, larger than "
                        + "all the land area combined."),
                doc("espresso", "Espresso", "Espresso is coffee brewed by forcing a small amount of nearly boiling "
                        + "water under pressure through finely ground coffee beans."),
                doc("violin", "Violin", "The violin is a wooden string instrument with four strings tuned in "
                        + "perfect fifths, played with a bow.")));
        // Some 1,500 tokens about railways: several chunks of one document, found once.
        StringBuilder railway = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            railway.append("Section ").append(i).append(" of the line adds sleepers, ballast and steel rails for the "
                    + "steam locomotives. ");
        }
        corpus.add(doc("railway", "History of railways", railway.toString()));
        Files.write(beir.resolve("corpus.jsonl"), corpus);
        Files.write(beir.resolve("queries.jsonl"), List.of(
                query("q-volcano", "where does lava come out of the ground"),
                query("q-plants", "how do plants produce oxygen from sunlight"),
                query("q-chess", "board game on a grid of 64 squares"),
                query("q-ocean", "which is the largest ocean on Earth"),
                query("q-coffee", "coffee made by forcing hot water through ground beans under pressure"),
                query("q-rail", "rails and sleepers for steam locomotives"),
                query("q-unjudged", "a query without judgments is not evaluated")));
        Files.writeString(beir.resolve("qrels/test.tsv"), """
                query-id\tcorpus-id\tscore
                q-volcano\tvolcano\t1
                q-plants\tphotosynthesis\t1
                q-chess\tchess\t2
                q-ocean\tocean\t1
                q-coffee\tespresso\t1
                q-rail\trailway\t1
                """);
    }

    @Test
    void ranksTheObviousAnswersFirstInEveryModeAndReusesTheIndex() {
        Path work = temp.resolve("work");

        Run hybrid = run("--beir", beir.toString(), "--mode", "hybrid", "--work", work.toString());
        Run bm25 = run("--beir", beir.toString(), "--mode", "bm25", "--work", work.toString());
        Run dense = run("--beir", beir.toString(), "--mode", "dense", "--work", work.toString());

        for (Run r : List.of(hybrid, bm25, dense)) {
            assertThat(r.exitCode()).as(r.err()).isZero();
            assertThat(r.line().path("documents").asLong()).isEqualTo(7);
            assertThat(r.line().path("chunks").asLong()).as("the long document is cut").isGreaterThan(7);
            assertThat(r.line().path("queries").asInt()).isEqualTo(6);
            assertThat(r.line().path("model").asString()).isEqualTo("bge-small-en-v1.5");
            assertThat(r.line().path("ndcg@10").asDouble()).as(r.line().toString()).isGreaterThanOrEqualTo(0.9);
            assertThat(r.line().path("recall@10").asDouble()).isEqualTo(1.0);
            assertThat(r.line().path("recall@100").asDouble()).isEqualTo(1.0);
            assertThat(r.line().path("latency_p99_ms").asDouble())
                    .isGreaterThanOrEqualTo(r.line().path("latency_p50_ms").asDouble()).isPositive();
        }
        assertThat(hybrid.line().path("mode").asString()).isEqualTo("hybrid");
        assertThat(bm25.line().path("mode").asString()).isEqualTo("bm25");
        assertThat(dense.line().path("mode").asString()).isEqualTo("dense");
        assertThat(hybrid.line().path("index_reused").asBoolean()).isFalse();
        assertThat(bm25.line().path("index_reused").asBoolean()).isTrue();
        assertThat(bm25.err()).contains("Reusing the index");
        assertThat(bm25.line().path("chunks").asLong()).isEqualTo(hybrid.line().path("chunks").asLong());
    }

    @Test
    void theLineSaysWhichFusionRanAndHowDeep() {
        Path work = temp.resolve("work-fusion");

        Run byDefault = run("--beir", beir.toString(), "--mode", "hybrid", "--work", work.toString());
        Run zScore = run("--beir", beir.toString(), "--mode", "hybrid", "--work", work.toString(), "--fusion",
                "z-score", "--top-k", "10", "--candidates", "60");
        Run minMax = run("--beir", beir.toString(), "--mode", "hybrid", "--work", work.toString(), "--fusion",
                "min-max", "--top-k", "10");

        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(byDefault.line().path("fusion").asString())
                .isEqualTo(SearchProperties.defaults(URI.create("in-process:onnx")).fusion().settingName());
        assertThat(byDefault.line().path("candidates").asInt()).as("four chunks per document of the top 100")
                .isEqualTo(400);
        assertThat(zScore.exitCode()).as(zScore.err()).isZero();
        assertThat(zScore.line().path("fusion").asString()).isEqualTo("z-score");
        assertThat(zScore.line().path("candidates").asInt()).isEqualTo(60);
        assertThat(zScore.line().has("rrf_k")).as("the RRF constant is not used").isFalse();
        assertThat(zScore.line().path("ndcg@10").asDouble()).as(zScore.line().toString()).isGreaterThanOrEqualTo(0.9);
        assertThat(minMax.line().path("fusion").asString()).isEqualTo("min-max");
        assertThat(minMax.line().path("candidates").asInt()).as("the service's 50, above 4 x 10").isEqualTo(50);
        assertThat(minMax.line().path("ndcg@10").asDouble()).as(minMax.line().toString()).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void aQueryLimitAndATemporaryIndexLeaveNothingBehind() {
        Run r = run("--beir", beir.toString(), "--mode", "bm25", "--limit-queries", "2");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.line().path("queries").asInt()).isEqualTo(2);
        Matcher folder = Pattern.compile("Index folder: (\\S+) \\(temporary").matcher(r.err());
        assertThat(folder.find()).as(r.err()).isTrue();
        assertThat(Path.of(folder.group(1)).getParent()).doesNotExist();
    }

    @Test
    void refusesAWorkFolderBuiltWithAnotherModel() {
        Path work = temp.resolve("work-zh");
        Run zh = run("--beir", beir.toString(), "--mode", "bm25", "--model", "bge-small-zh-v1.5", "--limit-queries",
                "1", "--work", work.toString());
        Run en = run("--beir", beir.toString(), "--mode", "bm25", "--model", "bge-small-en-v1.5", "--work",
                work.toString());

        assertThat(zh.exitCode()).as(zh.err()).isZero();
        assertThat(zh.line().path("model").asString()).isEqualTo("bge-small-zh-v1.5");
        assertThat(en.exitCode()).isEqualTo(2);
        assertThat(en.err()).contains("built differently").contains("model bge-small-en-v1.5 instead of bge-small-zh-v1.5");
    }

    @Test
    void badInputGetsOneClearLine() {
        Run mode = run("--beir", beir.toString(), "--mode", "sparse");
        Run folder = run("--beir", temp.resolve("absent").toString());
        Run model = run("--beir", beir.toString(), "--model", "bge-large");
        Run topK = run("--beir", beir.toString(), "--top-k", "5");
        Run fusion = run("--beir", beir.toString(), "--fusion", "borda");
        Run candidates = run("--beir", beir.toString(), "--candidates", "0");

        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.err()).contains("--mode must be hybrid, dense or bm25, was 'sparse'");
        assertThat(folder.err()).contains("is not a folder");
        assertThat(model.err()).contains("unknown model 'bge-large'").contains("bge-small-en-v1.5");
        assertThat(topK.err()).contains("--top-k must be 10 to 250");
        assertThat(fusion.exitCode()).isEqualTo(2);
        assertThat(fusion.err()).contains("--fusion must be rrf, z-score or min-max, was 'borda'");
        assertThat(candidates.err()).contains("--candidates must be 1 to 1000, was 0");
        assertThat(mode.out()).isEmpty();
    }

    private record Run(int exitCode, String out, String err) {

        JsonNode line() {
            return JsonMapper.builder().build().readTree(out.strip());
        }
    }

    private static Run run(String... args) {
        CommandLine cli = KbCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 2];
        full[0] = "eval";
        full[1] = "retrieval";
        System.arraycopy(args, 0, full, 2, args.length);
        int code = cli.execute(full);
        return new Run(code, out.toString(), err.toString());
    }

    private static String doc(String id, String title, String text) {
        return JsonMapper.builder().build().createObjectNode().put("_id", id).put("title", title).put("text", text)
                .toString();
    }

    private static String query(String id, String text) {
        return JsonMapper.builder().build().createObjectNode().put("_id", id).put("text", text).toString();
    }
}
