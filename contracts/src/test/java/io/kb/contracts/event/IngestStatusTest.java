package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.Topics;
import org.junit.jupiter.api.Test;

class IngestStatusTest {

    private static final Instant AT = Instant.parse("2025-05-01T12:00:00Z");

    @Test
    void failedNeedsAReason() {
        assertViolation(() -> IngestStatus.failed("acme", "a", 1, IngestStages.PARSE, null, AT), "reason");
        assertViolation(() -> IngestStatus.failed("acme", "a", 1, IngestStages.PARSE, " \t", AT), "reason");
    }

    @Test
    void failedKeepsItsReasonAndStage() {
        IngestStatus status = IngestStatus.failed("acme", "a", 1, IngestStages.FETCH, "HTTP 404", AT);

        assertThat(status.state()).isEqualTo(IngestState.FAILED);
        assertThat(status.reason()).isEqualTo("HTTP 404");
        assertThat(status.stage()).isEqualTo("fetch");
    }

    @Test
    void otherStatesNeedNoReason() {
        assertThat(IngestStatus.received("acme", "a", 1, AT).reason()).isNull();
        assertThat(IngestStatus.indexed("acme", "a", 1, 4, AT).chunkCount()).isEqualTo(4);
        assertThat(IngestStatus.deleted("acme", "a", 1, AT).state()).isEqualTo(IngestState.DELETED);
    }

    @Test
    void needsTheTimeItHappened() {
        assertViolation(() -> IngestStatus.received("acme", "a", 1, null), "occurredAt");
    }

    @Test
    void rejectsANegativeChunkCount() {
        assertViolation(() -> IngestStatus.indexed("acme", "a", 1, -1, AT), "chunkCount");
    }

    @Test
    void stageIsALowerCaseName() {
        assertViolation(() -> IngestStatus.failed("acme", "a", 1, "Parse step", "bad", AT), "stage");
    }

    @Test
    void rejectsAReasonOver4096Characters() {
        assertViolation(() -> IngestStatus.failed("acme", "a", 1, null, "r".repeat(4097), AT), "reason");
    }

    @Test
    void belongsToTheStatusTopicUnderTheDocumentKey() {
        IngestStatus status = IngestStatus.received("acme", "a/b", 1, AT);

        assertThat(status.topic()).isEqualTo(Topics.INGEST_STATUS);
        assertThat(status.key().asString()).isEqualTo("acme/a/b");
    }

    private static void assertViolation(Runnable build, String field) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
