package io.kb.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBenchManifestTest {

    private static final IndexBenchManifest BUILT = new IndexBenchManifest(1_000_000, 512, 42, "shape", "int8", 16, 100,
            2444.5, "2026-12-07T12:00:00Z");

    @TempDir
    Path temp;

    @Test
    void readsBackWhatItWrote() {
        BUILT.write(temp);

        assertThat(IndexBenchManifest.read(temp)).isEqualTo(BUILT);
    }

    @Test
    void aMissingOrEmptyFolderHasNoManifestYet() throws IOException {
        assertThat(IndexBenchManifest.read(temp.resolve("new"))).isNull();
        Files.createDirectories(temp.resolve("empty"));
        assertThat(IndexBenchManifest.read(temp.resolve("empty"))).isNull();
    }

    @Test
    void refusesAFolderWithFilesButNoManifest() throws IOException {
        Files.createDirectories(temp.resolve("lucene"));

        assertThatThrownBy(() -> IndexBenchManifest.read(temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no manifest.properties").hasMessageContaining("interrupted build");
    }

    @Test
    void refusesAnIndexBuiltFromOtherParametersNamingEachDifference() {
        IndexBenchManifest wanted = new IndexBenchManifest(100_000, 512, 7, "shape", "int8", 16, 100, 0, "");

        assertThatThrownBy(() -> BUILT.requireSameCorpus(wanted, temp))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("--chunks 1000000 (asked: 100000)")
                .hasMessageContaining("--seed 42 (asked: 7)")
                .hasMessageNotContaining("--dim")
                .hasMessageNotContaining("--encoding");
    }

    @Test
    void refusesAnIndexOfAnotherMixture() {
        IndexBenchManifest wanted = new IndexBenchManifest(1_000_000, 512, 42, "other shape", "int8", 16, 100, 0, "");

        assertThatThrownBy(() -> BUILT.requireSameCorpus(wanted, temp))
                .hasMessageContaining("the mixture (--topics, --local-dims, --spread, --noise): shape (asked: other shape)");
    }

    @Test
    void acceptsTheSameParametersWhateverTheBuildFigures() {
        IndexBenchManifest wanted = new IndexBenchManifest(1_000_000, 512, 42, "shape", "int8", 16, 100, 0, "");

        assertThatCode(() -> BUILT.requireSameCorpus(wanted, temp)).doesNotThrowAnyException();
    }

    @Test
    void refusesAManifestItCannotRead() throws IOException {
        Files.writeString(temp.resolve(IndexBenchManifest.FILE), "chunks=many\n");

        assertThatThrownBy(() -> IndexBenchManifest.read(temp)).hasMessageContaining("not a manifest");
    }
}
