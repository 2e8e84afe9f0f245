package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.kb.contracts.event.DocumentEvent;
import org.junit.jupiter.api.Test;

class SyntheticDocumentsTest {

    @Test
    void sameSeedGivesTheSameDocuments() {
        List<DocumentEvent> a = new SyntheticDocuments(7).events("bench-a", 20, 6, 1000L);
        List<DocumentEvent> b = new SyntheticDocuments(7).events("bench-a", 20, 6, 1000L);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void anotherSeedGivesOtherTexts() {
        assertThat(new SyntheticDocuments(7).text(3, 6)).isNotEqualTo(new SyntheticDocuments(8).text(3, 6));
    }

    @Test
    void everyDocumentHasItsOwnIdAndText() {
        List<DocumentEvent> events = new SyntheticDocuments(42).events("bench-a", 500, 6, 1000L);
        assertThat(events).hasSize(500);
        assertThat(events.stream().map(DocumentEvent::documentId).collect(Collectors.toSet())).hasSize(500);
        assertThat(events.stream().map(e -> e.content().text()).collect(Collectors.toSet())).hasSize(500);
        // Not only the title differs: the bodies (after the first line) are distinct too.
        Set<String> bodies = events.stream().map(e -> e.content().text())
                .map(t -> t.substring(t.indexOf('\n'))).collect(Collectors.toSet());
        assertThat(bodies).hasSize(500);
    }

    @Test
    void documentsAreMarkdownProseWithHeadingsAndTheAskedParagraphs() {
        SyntheticDocuments docs = new SyntheticDocuments(42);
        String text = docs.text(0, 6);
        assertThat(text).startsWith("# Handbook note 1: ");
        assertThat(text.lines().filter(l -> l.startsWith("## "))).hasSize(1);
        List<String> paragraphs = text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(paragraphs).hasSize(6).allSatisfy(p -> assertThat(p).endsWith(".").contains(" "));
        assertThat(paragraphs.stream().map(String::length).distinct().count())
                .as("paragraphs of varied length").isGreaterThan(1);
    }

    @Test
    void eventsCarryTenantVersionMediaTypeAndAPublicAcl() {
        DocumentEvent e = new SyntheticDocuments(42).events("bench-x", 1, 3, 1234L).getFirst();
        assertThat(e.tenant()).isEqualTo("bench-x");
        assertThat(e.documentId()).isEqualTo("bench/doc-00000");
        assertThat(e.version()).isEqualTo(1234L);
        assertThat(e.mediaType()).isEqualTo("text/markdown");
        assertThat(e.acl()).containsExactly("public");
        assertThat(e.title()).isEqualTo(new SyntheticDocuments(42).title(0));
        assertThat(e.content().text()).startsWith("# " + e.title() + "\n");
    }
}
