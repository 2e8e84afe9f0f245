package io.kb.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDocumentsTest {

    @TempDir
    Path dir;

    @Test
    void walksFoldersSkipsHiddenFilesAndNamesDocumentsByRelativePath() throws Exception {
        write("hr/leave.md", "# Leave");
        write("finance/travel.pdf", "%PDF-1.4 not really");
        write(".git/config", "x");
        write("hr/.draft.md", "x");

        List<DocumentEvent> events = new FileDocuments("aurora", List.of("public"), "kb/", 1024).events(List.of(dir));

        assertThat(events).extracting(DocumentEvent::documentId)
                .containsExactly("kb/finance/travel.pdf", "kb/hr/leave.md");
        DocumentEvent leave = events.get(1);
        assertThat(leave.tenant()).isEqualTo("aurora");
        assertThat(leave.acl()).containsExactly("public");
        assertThat(leave.title()).isEqualTo("leave");
        assertThat(leave.mediaType()).isEqualTo("text/markdown");
        assertThat(events.get(0).mediaType()).isEqualTo("application/octet-stream");
        assertThat(leave.content().inlineBytes()).isEqualTo("# Leave".getBytes());
    }

    @Test
    void theVersionIsTheModificationTimeSoAnUnchangedFileKeepsItsVersion() throws Exception {
        Path f = write("a.txt", "hello");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-02T03:04:05.678Z")));
        FileDocuments docs = new FileDocuments("aurora", List.of("group:hr"), "", 1024);

        long first = docs.events(List.of(f)).getFirst().version();
        long again = docs.events(List.of(f)).getFirst().version();
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        long edited = docs.events(List.of(f)).getFirst().version();

        assertThat(first).isEqualTo(Instant.parse("2026-01-02T03:04:05.678Z").toEpochMilli()).isEqualTo(again);
        assertThat(edited).isGreaterThan(first);
    }

    @Test
    void largeFilesTravelAsFileReferences() throws Exception {
        Path small = write("small.txt", "x".repeat(100));
        Path large = write("large.txt", "y".repeat(5000));
        FileDocuments docs = new FileDocuments("aurora", List.of("public"), "", 1000);

        assertThat(docs.events(List.of(small)).getFirst().content().kind()).isNotEqualTo(Content.Kind.REFERENCE);
        DocumentEvent big = docs.events(List.of(large)).getFirst();
        assertThat(big.content().kind()).isEqualTo(Content.Kind.REFERENCE);
        assertThat(big.content().referenceUri()).isEqualTo(large.toUri());
    }

    @Test
    void aBadTenantOrPrincipalIsRefusedNamingTheField() throws Exception {
        Path f = write("a.txt", "x");
        assertThatThrownBy(() -> new FileDocuments("Bad/Tenant", List.of("public"), "", 1024).events(List.of(f)))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("tenant");
        assertThatThrownBy(() -> new FileDocuments("aurora", List.of("everyone"), "", 1024).events(List.of(f)))
                .isInstanceOf(ContractViolationException.class).hasMessageStartingWith("acl");
    }

    @Test
    void aMissingPathIsAClearError() {
        assertThatThrownBy(() -> new FileDocuments("aurora", List.of("public"), "", 1024)
                .events(List.of(dir.resolve("nope")))).hasMessageContaining("no such file or folder");
    }

    private Path write(String relative, String text) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }
}
