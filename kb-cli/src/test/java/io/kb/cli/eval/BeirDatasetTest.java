package io.kb.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {

    @TempDir
    Path folder;

    @Test
    void readsCorpusQueriesAndGradedQrels() throws IOException {
        write("corpus.jsonl", """
                {"_id": "d1", "title": "One", "text": "first", "metadata": {}}
                {"_id": 2, "text": "second, no title"}
                """);
        write("queries.jsonl", """
                {"_id": "q1", "text": "find one", "metadata": {"answers": ["x"]}}
                {"_id": "q2", "text": "judged irrelevant only"}
                {"_id": "q3", "text": "not judged"}
                """);
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\t2\t1\nq2\td1\t0\n");

        BeirDataset dataset = read();

        assertThat(dataset.corpus()).containsExactly(new BeirDataset.Document("d1", "One", "first"),
                new BeirDataset.Document("2", "", "second, no title"));
        assertThat(dataset.queries()).extracting(BeirDataset.Query::id).containsExactly("q1", "q2", "q3");
        assertThat(dataset.qrels().get("q1")).containsEntry("d1", 2).containsEntry("2", 1);
        assertThat(dataset.judgedQueries()).extracting(BeirDataset.Query::id).containsExactly("q1");
        assertThat(dataset.relevantDocumentsMissingFromCorpus()).isZero();
        assertThat(dataset.name()).isEqualTo(folder.getFileName().toString());
    }

    @Test
    void prefersTheTestQueriesWhenTheFolderHasThem() throws IOException {
        write("queries.jsonl", "");
        assertThat(BeirDataset.defaultQueries(folder)).isEqualTo(folder.resolve("queries.jsonl"));

        write("queries_test.jsonl", "");
        assertThat(BeirDataset.defaultQueries(folder)).isEqualTo(folder.resolve("queries_test.jsonl"));
    }

    @Test
    void namesTheFileAndLineOfABadRecord() throws IOException {
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"title\": \"no id\"}\n");
        write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"q\"}\n");
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\n");

        assertThatThrownBy(this::read).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("corpus.jsonl line 2").hasMessageContaining("_id");
    }

    @Test
    void refusesRepeatedDocumentIds() throws IOException {
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\", \"text\": \"b\"}\n");
        write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"q\"}\n");
        write("qrels/test.tsv", "q1\td1\t1\n");

        assertThatThrownBy(this::read).hasMessageContaining("line 2").hasMessageContaining("repeats");
    }

    @Test
    void refusesAQrelsRowThatIsNotThreeCells() throws IOException {
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"a\"}\n");
        write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"q\"}\n");
        write("qrels/test.tsv", "query-id\tcorpus-id\tscore\nq1 d1 1\n");

        assertThatThrownBy(this::read).hasMessageContaining("test.tsv line 2").hasMessageContaining("3 tab-separated");
    }

    @Test
    void saysWhichFileIsMissing() throws IOException {
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"a\"}\n");

        assertThatThrownBy(this::read).hasMessageContaining("queries").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> BeirDataset.read(folder.resolve("absent"), folder, folder))
                .hasMessageContaining("is not a folder");
    }

    @Test
    void countsRelevantDocumentsTheCorpusLacks() throws IOException {
        write("corpus.jsonl", "{\"_id\": \"d1\", \"text\": \"a\"}\n");
        write("queries.jsonl", "{\"_id\": \"q1\", \"text\": \"q\"}\n");
        write("qrels/test.tsv", "q1\td1\t1\nq1\tgone\t1\nq1\talso-gone\t0\n");

        assertThat(read().relevantDocumentsMissingFromCorpus()).isEqualTo(1);
    }

    private BeirDataset read() {
        return BeirDataset.read(folder, folder.resolve("queries.jsonl"), folder.resolve("qrels/test.tsv"));
    }

    private void write(String name, String content) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
