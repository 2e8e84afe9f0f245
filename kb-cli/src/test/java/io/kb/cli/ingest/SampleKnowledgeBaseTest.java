package io.kb.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.kb.contracts.event.DocumentEvent;
import org.junit.jupiter.api.Test;

/** The sample knowledge base in this repository, read as kb up reads it. */
class SampleKnowledgeBaseTest {

    private final SampleKnowledgeBase samples =
            SampleKnowledgeBase.under(Path.of(System.getProperty("kb.root", "..")).toAbsolutePath().normalize());

    @Test
    void everyManifestLineBecomesAnEventWithItsOwnAclAndTitle() {
        assertThat(samples.exists()).isTrue();
        List<DocumentEvent> events = samples.events();
        Map<String, DocumentEvent> byId = events.stream().collect(Collectors.toMap(DocumentEvent::documentId, e -> e));

        assertThat(events).hasSizeGreaterThanOrEqualTo(12).allSatisfy(e -> {
            assertThat(e.tenant()).isEqualTo("aurora");
            assertThat(e.mediaType()).isEqualTo("text/markdown");
            assertThat(e.title()).isNotBlank();
            assertThat(e.content().inlineSizeBytes()).isPositive();
        });
        assertThat(byId.get("en/hr/salary-bands-2026.md").acl()).containsExactly("group:hr");
        assertThat(byId.get("en/finance/q3-2026-board-summary.md").acl())
                .containsExactly("group:finance", "group:executives");
        assertThat(byId.get("en/hr/annual-leave.md").acl()).containsExactly("public");
        assertThat(byId).containsKey("zh/hr/年假制度.md");
    }
}
