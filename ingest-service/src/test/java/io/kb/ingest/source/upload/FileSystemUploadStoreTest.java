package io.kb.ingest.source.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemUploadStoreTest extends UploadStoreContract {

    @TempDir
    Path temp;

    private FileSystemUploadStore store;

    @Override
    UploadStore store() {
        store = new FileSystemUploadStore(temp.resolve("uploads"));
        return store;
    }

    @Override
    void age(UploadReference reference, Duration by) throws IOException {
        Path file = onDisk().stream().filter(p -> p.getFileName().toString().endsWith(reference.contentHash()))
                .findFirst().orElseThrow();
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(by)));
    }

    @Test
    void namesFilesByHashesNeverByTheDocumentIdOrFileName() throws IOException {
        UploadStore uploads = store();

        UploadReference reference = uploads.put(TENANT, "../../etc/passwd", 1,
                new ByteArrayInputStream(bytes(100, 1)), 1000);

        List<Path> files = onDisk();
        assertThat(files).hasSize(1);
        Path file = files.getFirst();
        assertThat(file).startsWith(store.root());
        assertThat(store.root().relativize(file).toString())
                .matches("acme/[0-9a-f]{64}/1-[0-9a-f]{64}")
                .isEqualTo("acme/" + reference.documentHash() + "/1-" + reference.contentHash());
        assertThat(store.root().resolve("../../etc/passwd").normalize()).doesNotExist();
        assertThat(read(uploads, reference)).isEqualTo(bytes(100, 1));
    }

    @Test
    void refusesReferencesThatWouldLeaveTheFolder() {
        assertThatThrownBy(() -> UploadReference.parse("upload:acme/../../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadReference.parse("upload:../" + "a".repeat(64) + "/1-" + "b".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UploadReference("acme", "../../..", 1, "b".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesNoPartialFileBehindWhenTheLimitIsPassed() throws IOException {
        UploadStore uploads = store();

        assertThatThrownBy(() -> uploads.put(TENANT, "big", 1, new ByteArrayInputStream(new byte[2 * 1024 * 1024]),
                1024 * 1024)).isInstanceOf(UploadTooLargeException.class);

        assertThat(onDisk()).isEmpty();
    }

    @Test
    void removesTheDocumentsFolderWithItsLastUpload() throws IOException {
        UploadStore uploads = store();
        UploadReference reference = uploads.put(TENANT, "a", 1, new ByteArrayInputStream(bytes(10, 1)), 100);

        uploads.release(TENANT, "a", 1);

        assertThat(store.root().resolve(TENANT).resolve(reference.documentHash())).doesNotExist();
    }

    private List<Path> onDisk() throws IOException {
        try (Stream<Path> files = Files.walk(store.root())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }
}
