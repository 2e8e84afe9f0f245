package io.kb.ingest.source.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.kb.contracts.event.IngestStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class UploadJanitorTest {

    private static final Instant AT = Instant.parse("2025-05-01T12:00:00Z");

    @TempDir
    Path temp;

    @Test
    void anIndexedOrDeletedVersionReleasesItselfAndOlderOnes() {
        FileSystemUploadStore store = new FileSystemUploadStore(temp);
        UploadJanitor janitor = janitor(store, Clock.systemUTC());
        UploadReference v1 = put(store, "doc", 1);
        UploadReference v2 = put(store, "doc", 2);
        UploadReference v3 = put(store, "doc", 3);
        UploadReference other = put(store, "other", 5);

        janitor.onStatus(IngestStatus.received("acme", "doc", 3, AT));
        assertThat(UploadStoreContract.read(store, v1)).isNotEmpty();

        janitor.onStatus(IngestStatus.indexed("acme", "doc", 2, 4, AT));
        assertMissing(store, v1);
        assertMissing(store, v2);
        assertThat(UploadStoreContract.read(store, v3)).isNotEmpty();

        janitor.onStatus(IngestStatus.deleted("acme", "doc", 3, AT));
        assertMissing(store, v3);
        assertThat(UploadStoreContract.read(store, other)).isNotEmpty();
    }

    @Test
    void aFailedVersionKeepsItsOwnUploadForAReplayButReleasesOlderOnes() {
        FileSystemUploadStore store = new FileSystemUploadStore(temp);
        UploadJanitor janitor = janitor(store, Clock.systemUTC());
        UploadReference v1 = put(store, "doc", 1);
        UploadReference v2 = put(store, "doc", 2);

        janitor.onStatus(IngestStatus.failed("acme", "doc", 2, "parse", "encrypted", AT));

        assertMissing(store, v1);
        assertThat(UploadStoreContract.read(store, v2)).isNotEmpty();
    }

    @Test
    void aSweepRemovesUploadsOlderThanTheMaximumAge() {
        FileSystemUploadStore store = new FileSystemUploadStore(temp);
        UploadReference upload = put(store, "doc", 1);

        assertThat(janitor(store, Clock.systemUTC()).sweep()).isZero();
        assertThat(UploadStoreContract.read(store, upload)).isNotEmpty();

        Clock eightDaysLater = Clock.fixed(Instant.now().plus(Duration.ofDays(8)), ZoneOffset.UTC);
        assertThat(janitor(store, eightDaysLater).sweep()).isEqualTo(1);
        assertMissing(store, upload);
    }

    private static UploadJanitor janitor(UploadStore store, Clock clock) {
        return new UploadJanitor(store, new UploadProperties(Path.of("unused"), DataSize.ofMegabytes(50),
                Duration.ofDays(7), Duration.ofHours(1)), new SimpleMeterRegistry(), clock);
    }

    private static UploadReference put(UploadStore store, String documentId, long version) {
        return store.put("acme", documentId, version, new ByteArrayInputStream(UploadStoreContract.bytes(10, version)), 100);
    }

    private static void assertMissing(UploadStore store, UploadReference reference) {
        assertThatThrownBy(() -> store.open(reference)).isInstanceOf(UploadMissingException.class);
    }
}
