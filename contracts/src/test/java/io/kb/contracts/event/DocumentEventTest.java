package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.DocumentKey;
import io.kb.contracts.Topics;
import org.junit.jupiter.api.Test;

class DocumentEventTest {

    private static final long ONE_MIB = 1024 * 1024;

    @Test
    void upsertFactoryFillsSchemaVersionAndOperation() {
        DocumentEvent event = upsert(Content.ofText("hello"));

        assertThat(event.schemaVersion()).isEqualTo(DocumentEvent.SCHEMA_VERSION);
        assertThat(event.operation()).isEqualTo(Operation.UPSERT);
        assertThat(event.source()).isNull();
    }

    @Test
    void deleteFactoryHasNoContentAndAnEmptyAcl() {
        DocumentEvent event = DocumentEvent.delete("acme", "a/b", 9);

        assertThat(event.operation()).isEqualTo(Operation.DELETE);
        assertThat(event.content()).isNull();
        assertThat(event.acl()).isEmpty();
        assertThat(event.metadata()).isEmpty();
    }

    @Test
    void keyIsTenantAndDocumentId() {
        assertThat(DocumentEvent.delete("acme", "wiki/a", 1).key()).isEqualTo(new DocumentKey("acme", "wiki/a"));
    }

    @Test
    void belongsToTheDocumentsTopic() {
        assertThat(DocumentEvent.delete("acme", "a", 1).topic()).isEqualTo(Topics.DOCUMENTS);
    }

    @Test
    void upsertNeedsContent() {
        assertViolation(() -> DocumentEvent.upsert("acme", "a", 1, null, null, List.of("public"), null, null), "content");
    }

    @Test
    void upsertNeedsAnAcl() {
        assertViolation(() -> DocumentEvent.upsert("acme", "a", 1, null, null, List.of(), null, Content.ofText("x")), "acl");
    }

    @Test
    void deleteMayNotCarryAclEntries() {
        assertViolation(() -> new DocumentEvent(1, Operation.DELETE, "acme", "a", 1, null, null, null, List.of("public"), null,
                null, null), "acl");
    }

    @Test
    void deleteMayNotCarryContent() {
        assertViolation(() -> new DocumentEvent(1, Operation.DELETE, "acme", "a", 1, null, null, null, null, null,
                Content.ofText("x"), null), "content");
    }

    @Test
    void rejectsAnotherSchemaVersion() {
        assertViolation(() -> new DocumentEvent(2, Operation.DELETE, "acme", "a", 1, null, null, null, null, null, null, null),
                "schemaVersion");
    }

    @Test
    void rejectsAnUnsupportedMediaType() {
        assertViolation(() -> DocumentEvent.upsert("acme", "a", 1, null, "image/png", List.of("public"), null,
                Content.ofText("x")), "mediaType");
    }

    @Test
    void rejectsATitleOver1000Characters() {
        assertThat(DocumentEvent.upsert("acme", "a", 1, "t".repeat(1000), null, List.of("public"), null, Content.ofText("x")))
                .isNotNull();
        assertViolation(() -> DocumentEvent.upsert("acme", "a", 1, "t".repeat(1001), null, List.of("public"), null,
                Content.ofText("x")), "title");
    }

    @Test
    void aclCannotBeChangedThroughTheListPassedIn() {
        List<String> acl = new ArrayList<>(List.of("group:hr"));
        DocumentEvent event = DocumentEvent.upsert("acme", "a", 1, null, null, acl, null, Content.ofText("x"));

        acl.add("public");

        assertThat(event.acl()).containsExactly("group:hr");
    }

    @Test
    void withersChangeOnlyTheirField() {
        DocumentEvent event = upsert(Content.ofText("x"));
        Instant at = Instant.parse("2025-01-01T00:00:00Z");

        DocumentEvent changed = event.withSource("https://wiki.example.com/a").withOccurredAt(at);

        assertThat(changed.source()).isEqualTo("https://wiki.example.com/a");
        assertThat(changed.occurredAt()).isEqualTo(at);
        assertThat(changed.withSource(null).withOccurredAt(null)).isEqualTo(event);
    }

    @Test
    void inlineTextWithinTheLimitPasses() {
        DocumentEvent event = upsert(Content.ofText("a".repeat((int) ONE_MIB)));

        assertThat(event.requireInlineWithin(ONE_MIB)).isSameAs(event);
    }

    @Test
    void inlineTextOverTheLimitIsAViolationOfContent() {
        DocumentEvent event = upsert(Content.ofText("a".repeat((int) ONE_MIB + 1)));

        assertThatThrownBy(() -> event.requireInlineWithin(ONE_MIB))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo("content");
                    assertThat(e.getMessage()).contains("1048577 bytes", "1048576 bytes", "reference");
                });
    }

    @Test
    void inlineLimitCountsUtf8BytesNotCharacters() {
        DocumentEvent event = upsert(Content.ofText("年假"));

        assertThat(event.requireInlineWithin(6)).isSameAs(event);
        assertThatThrownBy(() -> event.requireInlineWithin(5)).isInstanceOf(ContractViolationException.class);
    }

    @Test
    void inlineLimitCountsDecodedBase64Bytes() {
        DocumentEvent event = upsert(Content.ofBytes(new byte[10]));

        assertThat(event.requireInlineWithin(10)).isSameAs(event);
        assertThatThrownBy(() -> event.requireInlineWithin(9)).isInstanceOf(ContractViolationException.class);
    }

    @Test
    void inlineLimitIgnoresReferencesAndDeletes() {
        assertThat(upsert(Content.ofReference("https://example.com/huge.pdf")).requireInlineWithin(0)).isNotNull();
        assertThat(DocumentEvent.delete("acme", "a", 1).requireInlineWithin(0)).isNotNull();
    }

    @Test
    void inlineLimitMustNotBeNegative() {
        assertThatIllegalArgumentException().isThrownBy(() -> upsert(Content.ofText("x")).requireInlineWithin(-1));
    }

    private static DocumentEvent upsert(Content content) {
        return DocumentEvent.upsert("acme", "a", 1, "A", "text/plain", List.of("public"), Map.of("k", "v"), content);
    }

    private static void assertViolation(Runnable build, String field) {
        assertThatThrownBy(build::run)
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
