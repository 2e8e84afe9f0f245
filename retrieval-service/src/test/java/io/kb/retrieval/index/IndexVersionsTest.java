package io.kb.retrieval.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IndexVersionsTest {

    @Test
    void changesOnlyTheTenantWhoseDocumentChanged() {
        IndexVersions versions = new IndexVersions("e");
        String aurora = versions.current("aurora");
        String other = versions.current("other");

        versions.changed("aurora");

        assertThat(versions.current("aurora")).isNotEqualTo(aurora);
        assertThat(versions.current("other")).isEqualTo(other);
    }

    @Test
    void aRestartNeverRepeatsAVersion() {
        IndexVersions before = new IndexVersions("epoch1");
        before.changed("aurora");
        IndexVersions after = new IndexVersions("epoch2");
        after.changed("aurora");

        assertThat(after.current("aurora")).isNotEqualTo(before.current("aurora"));
    }
}
