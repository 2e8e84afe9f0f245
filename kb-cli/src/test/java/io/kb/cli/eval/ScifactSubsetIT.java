package io.kb.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kb.cli.KbCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evaluator on real BEIR data: a slice of SciFact from {@code ../shared/eval/scifact} beside the project (its
 * licence keeps it out of the repository), small enough for CI: the first judged test queries, their relevant
 * abstracts and a few hundred other abstracts as distractors. The full set's numbers come from
 * {@code kb eval retrieval} runs, reported in docs/retrieval-quality.md; here the scores only have to be sane.
 */
class ScifactSubsetIT {

    private static final int QUERIES = 12;
    private static final int DISTRACTORS = 150;

    @TempDir
    Path temp;

    @Test
    void scoresARealSliceOfScifactSanely() throws IOException {
        Path scifact = projectRoot().resolve("../shared/eval/scifact").normalize();
        assumeTrue(Files.isRegularFile(scifact.resolve("corpus.jsonl")),
                "skipped: the SciFact test set is not at " + scifact + " (../shared/eval/scifact beside the project); "
                        + "see docs/retrieval-quality.md for where it comes from");
        BeirDataset full = BeirDataset.read(scifact, BeirDataset.defaultQueries(scifact),
                scifact.resolve(BeirDataset.TEST_QRELS));
        Path slice = writeSlice(full);

        JsonNode hybrid = run(slice, "hybrid");
        JsonNode bm25 = run(slice, "bm25");

        assertThat(hybrid.path("queries").asInt()).isEqualTo(QUERIES);
        assertThat(hybrid.path("documents").asInt()).isGreaterThan(DISTRACTORS);
        assertThat(hybrid.path("ndcg@10").asDouble()).as(hybrid.toString()).isGreaterThan(0.6);
        assertThat(bm25.path("ndcg@10").asDouble()).as(bm25.toString()).isGreaterThan(0.5);
        assertThat(hybrid.path("recall@100").asDouble()).as(hybrid.toString()).isGreaterThan(0.9);
    }

    private JsonNode run(Path slice, String mode) {
        CommandLine cli = KbCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("eval", "retrieval", "--beir", slice.toString(), "--mode", mode, "--work",
                temp.resolve("work").toString());
        assertThat(code).as(err.toString()).isZero();
        return JsonMapper.builder().build().readTree(out.toString().strip());
    }

    /** The first judged queries, the documents they need and the first distractors, as a BEIR folder. */
    private Path writeSlice(BeirDataset full) throws IOException {
        List<BeirDataset.Query> queries = full.judgedQueries().subList(0, QUERIES);
        Set<String> keep = new LinkedHashSet<>();
        for (BeirDataset.Query q : queries) {
            full.qrels().get(q.id()).forEach((doc, score) -> {
                if (score > 0) {
                    keep.add(doc);
                }
            });
        }
        full.corpus().stream().limit(DISTRACTORS).forEach(d -> keep.add(d.id()));
        JsonMapper json = JsonMapper.builder().build();
        List<String> corpus = new ArrayList<>();
        for (BeirDataset.Document d : full.corpus()) {
            if (keep.contains(d.id())) {
                corpus.add(json.writeValueAsString(Map.of("_id", d.id(), "title", d.title(), "text", d.text())));
            }
        }
        List<String> queryLines = queries.stream()
                .map(q -> json.writeValueAsString(Map.of("_id", q.id(), "text", q.text()))).toList();
        StringBuilder qrels = new StringBuilder("query-id\tcorpus-id\tscore\n");
        for (BeirDataset.Query q : queries) {
            full.qrels().get(q.id()).forEach((doc, score) -> qrels.append(q.id()).append('\t').append(doc)
                    .append('\t').append(score).append('\n'));
        }
        Path slice = temp.resolve("scifact-slice");
        Files.createDirectories(slice.resolve("qrels"));
        Files.write(slice.resolve("corpus.jsonl"), corpus);
        Files.write(slice.resolve("queries.jsonl"), queryLines);
        Files.writeString(slice.resolve("qrels/test.tsv"), qrels);
        return slice;
    }

    /** The project's root: the parent of this module's folder, where failsafe runs. */
    private static Path projectRoot() {
        return Path.of("").toAbsolutePath().getParent();
    }
}
