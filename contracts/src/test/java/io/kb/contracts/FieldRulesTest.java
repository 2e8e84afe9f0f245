package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"acme", "a", "0", "acme-eu_2", "x123456789012345678901234567890123456789012345678901234567890123"})
    void acceptsLowerCaseTenants(String tenant) {
        assertThat(FieldRules.requireTenant(tenant)).isEqualTo(tenant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "Acme", "acme/eu", "-acme", "_acme", "acme eu", "ácme",
            "x1234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsOtherTenantsNamingTheField(String tenant) {
        assertThatThrownBy(() -> FieldRules.requireTenant(tenant))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> {
                    assertThat(e.field()).isEqualTo("tenant");
                    assertThat(e.getMessage()).startsWith("tenant: ");
                });
    }

    @Test
    void blankTenantSaysItMustNotBeBlank() {
        assertThatThrownBy(() -> FieldRules.requireTenant(" ")).hasMessage("tenant: must not be blank");
    }

    @Test
    void documentIdsMayHoldSlashesAndAnyPrintableCharacter() {
        assertThat(FieldRules.requireDocumentId("wiki/pages/42?rev=3 #top 文档")).isNotNull();
    }

    @Test
    void documentIdsCountCharactersNotUtf16Units() {
        String emoji512 = "😀".repeat(512);

        assertThat(FieldRules.requireDocumentId(emoji512)).isEqualTo(emoji512);
        assertThatThrownBy(() -> FieldRules.requireDocumentId(emoji512 + "x")).isInstanceOf(ContractViolationException.class);
    }

    @Test
    void documentIdsRejectExactlyTheIsoControlCharacters() {
        List<String> disagreements = new ArrayList<>();
        for (char c = 0; c < 0x3000; c++) {
            if (Character.isSurrogate(c)) {
                continue;
            }
            boolean accepted;
            try {
                FieldRules.requireDocumentId("a" + c);
                accepted = true;
            } catch (ContractViolationException e) {
                accepted = false;
            }
            if (accepted == Character.isISOControl(c)) {
                disagreements.add(String.format("U+%04X", (int) c));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void negativeVersionIsAViolationOfVersion() {
        assertThatThrownBy(() -> FieldRules.requireVersion(-1))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("version"));
        assertThat(FieldRules.requireVersion(0)).isZero();
    }

    @Test
    void blankMeansWhatStringIsBlankMeans() {
        List<String> disagreements = new ArrayList<>();
        Pattern nonBlank = Pattern.compile(FieldRules.NON_BLANK_REGEX);
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            if (!Character.isSurrogate(c) && nonBlank.matcher(String.valueOf(c)).find() == String.valueOf(c).isBlank()) {
                disagreements.add(String.format("U+%04X", (int) c));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aclNamesTheMalformedEntry() {
        assertThatThrownBy(() -> FieldRules.requireAcl(List.of("public", "user:ok", "everyone")))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("acl[2]"));
    }

    @Test
    void aclNamesTheRepeatedEntry() {
        assertThatThrownBy(() -> FieldRules.requireAcl(List.of("group:a", "group:b", "group:a")))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("acl[2]"));
    }

    @Test
    void aclHoldsAtMost256Principals() {
        List<String> acl = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            acl.add("user:u" + i);
        }
        assertThat(FieldRules.requireAcl(acl)).hasSize(256);
        acl.add("public");
        assertThatThrownBy(() -> FieldRules.requireAcl(acl))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("acl"));
    }

    @Test
    void metadataKeepsTheProducersOrderAndCannotBeChanged() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("z", "1");
        metadata.put("a", "2");

        Map<String, String> accepted = FieldRules.metadata(metadata);

        assertThat(accepted.keySet()).containsExactly("z", "a");
        assertThatThrownBy(() -> accepted.put("b", "3")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void metadataIsCopiedSoLaterChangesDoNotLeakIn() {
        Map<String, String> metadata = new HashMap<>(Map.of("a", "1"));
        Map<String, String> accepted = FieldRules.metadata(metadata);

        metadata.put("b", "2");

        assertThat(accepted).containsOnlyKeys("a");
    }

    @Test
    void metadataNamesTheKeyOfAValueThatIsTooLong() {
        Map<String, String> metadata = Map.of("summary", "x".repeat(2049));

        assertThatThrownBy(() -> FieldRules.metadata(metadata))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("metadata.summary"));
    }

    @Test
    void metadataRejectsAKeyWithASpace() {
        assertThatThrownBy(() -> FieldRules.metadata(Map.of("my key", "v")))
                .isInstanceOfSatisfying(ContractViolationException.class, e -> assertThat(e.field()).isEqualTo("metadata"));
    }

    @Test
    void metadataHoldsAtMost64Entries() {
        Map<String, String> metadata = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            metadata.put("k" + i, "v");
        }
        assertThatThrownBy(() -> FieldRules.metadata(metadata)).isInstanceOf(ContractViolationException.class);
    }

    @Test
    void absentMetadataBecomesEmpty() {
        assertThat(FieldRules.metadata(null)).isEmpty();
        assertThat(FieldRules.metadata(Collections.emptyMap())).isEmpty();
    }
}
