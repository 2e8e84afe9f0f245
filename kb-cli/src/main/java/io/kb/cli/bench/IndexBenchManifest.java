package io.kb.cli.bench;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * What a kept benchmark index was built from, and what its build measured: {@value #FILE} beside the index in
 * the folder of {@code kb bench index --index DIR}. It is written only once the build has finished and the
 * index is closed, so a folder without it holds an interrupted build; a folder whose manifest names other
 * parameters is refused, since its recall would be measured against the wrong vectors.
 *
 * @param chunks the chunks indexed
 * @param dimension the vectors' dimension
 * @param seed the corpus seed
 * @param shape the vector mixture's shape ({@link SyntheticVectors.Shape#toString()})
 * @param encoding the vector encoding the index was written with
 * @param hnswMaxConn neighbours per HNSW node
 * @param hnswBeamWidth the HNSW build beam
 * @param buildSeconds how long the build took, merges included
 * @param builtAt when the build finished, ISO-8601
 */
record IndexBenchManifest(long chunks, int dimension, long seed, String shape, String encoding, int hnswMaxConn,
        int hnswBeamWidth, double buildSeconds, String builtAt) {

    /** The manifest's file name in the benchmark folder. */
    static final String FILE = "manifest.properties";

    /**
     * @param folder the benchmark folder
     * @return the folder's manifest, or null when the folder is missing or empty (a new build goes there)
     * @throws IllegalStateException when the folder holds files but no manifest, an interrupted build or
     *         something else, which the bench will not overwrite
     */
    static IndexBenchManifest read(Path folder) {
        Path file = folder.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                if (Files.isDirectory(folder)) {
                    try (Stream<Path> entries = Files.list(folder)) {
                        if (entries.findAny().isPresent()) {
                            throw new IllegalStateException(folder + " holds no " + FILE + ": an interrupted build or "
                                    + "another folder; delete it or name an empty or new folder with --index");
                        }
                    }
                }
                return null;
            }
            Properties p = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(reader);
            }
            return new IndexBenchManifest(Long.parseLong(p.getProperty("chunks")),
                    Integer.parseInt(p.getProperty("dimension")), Long.parseLong(p.getProperty("seed")),
                    java.util.Objects.requireNonNull(p.getProperty("shape"), "shape"), p.getProperty("encoding"), Integer.parseInt(p.getProperty("hnswMaxConn")),
                    Integer.parseInt(p.getProperty("hnswBeamWidth")), Double.parseDouble(p.getProperty("buildSeconds")),
                    p.getProperty("builtAt"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException) {
                throw e;
            }
            throw new IllegalStateException(file + " is not a manifest of kb bench index (" + e + "); delete the folder "
                    + "and build again", e);
        }
    }

    /**
     * Refuses an index built from other parameters than those asked for.
     *
     * @param wanted the parameters of this run (its build figures are ignored)
     * @param folder the folder, for the message
     * @throws IllegalStateException listing every parameter that differs, with both values
     */
    void requireSameCorpus(IndexBenchManifest wanted, Path folder) {
        List<String> differences = new ArrayList<>();
        differ(differences, "--chunks", chunks, wanted.chunks);
        differ(differences, "--dim", dimension, wanted.dimension);
        differ(differences, "--seed", seed, wanted.seed);
        differ(differences, "the mixture (--topics, --local-dims, --spread, --noise):", shape, wanted.shape);
        differ(differences, "--encoding", encoding, wanted.encoding);
        differ(differences, "--hnsw-max-conn", hnswMaxConn, wanted.hnswMaxConn);
        differ(differences, "--hnsw-beam-width", hnswBeamWidth, wanted.hnswBeamWidth);
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the index in " + folder + " was built with other parameters: "
                    + String.join(", ", differences) + "; run with those, or name another folder with --index");
        }
    }

    /** Writes the manifest into the folder. */
    void write(Path folder) {
        Properties p = new Properties();
        p.setProperty("chunks", Long.toString(chunks));
        p.setProperty("dimension", Integer.toString(dimension));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("shape", shape);
        p.setProperty("encoding", encoding);
        p.setProperty("hnswMaxConn", Integer.toString(hnswMaxConn));
        p.setProperty("hnswBeamWidth", Integer.toString(hnswBeamWidth));
        p.setProperty("buildSeconds", Double.toString(buildSeconds));
        p.setProperty("builtAt", builtAt);
        Path file = folder.resolve(FILE);
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(writer, "kb bench index: the parameters this index was built from");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void differ(List<String> differences, String option, Object built, Object wanted) {
        if (!built.equals(wanted)) {
            differences.add(option + " " + built + " (asked: " + wanted + ")");
        }
    }
}
