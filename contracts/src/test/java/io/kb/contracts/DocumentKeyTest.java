package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DocumentKeyTest {

    @Test
    void writesTenantSlashDocumentId() {
        assertThat(new DocumentKey("acme", "handbook").asString()).isEqualTo("acme/handbook");
    }

    @Test
    void parseSplitsAtTheFirstSlashSoDocumentIdsKeepTheirSlashes() {
        DocumentKey key = DocumentKey.parse("acme/wiki/pages/42");

        assertThat(key.tenant()).isEqualTo("acme");
        assertThat(key.documentId()).isEqualTo("wiki/pages/42");
    }

    @Test
    void parseReadsBackWhatAsStringWrote() {
        DocumentKey key = new DocumentKey("t-1", "/leading/and/trailing/");

        assertThat(DocumentKey.parse(key.asString())).isEqualTo(key);
    }

    @Test
    void parseRejectsAKeyWithoutSlash() {
        assertThatThrownBy(() -> DocumentKey.parse("acme"))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("key"));
    }

    @Test
    void parseRejectsAnEmptyDocumentId() {
        assertThatThrownBy(() -> DocumentKey.parse("acme/"))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("documentId"));
    }

    @Test
    void parseRejectsAMalformedTenant() {
        assertThatThrownBy(() -> DocumentKey.parse("ACME/doc"))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("tenant"));
    }

    @Test
    void parseRejectsNull() {
        assertThatThrownBy(() -> DocumentKey.parse(null)).isInstanceOf(ContractViolationException.class);
    }
}
