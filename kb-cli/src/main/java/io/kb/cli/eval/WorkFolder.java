package io.kb.cli.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where an evaluation keeps its index: a temporary folder removed afterwards, or a folder named by {@code --work}
 * that outlives the run, so that further runs (another mode, other fusion settings) search the same index
 * instead of embedding the corpus again. A manifest beside the index says what the index was built from; a run
 * whose corpus, model or chunking differs refuses the folder rather than mix two indexes, and a run that finds
 * an unfinished index goes on where the last one stopped.
 */
final class WorkFolder implements AutoCloseable {

    static final String MANIFEST = "kb-eval.json";
    static final String INDEX = "index";

    /**
     * What an index was built from, and how far.
     *
     * @param corpus the corpus file, absolute
     * @param corpusBytes its size when the index was built
     * @param corpusModified its modification time, in epoch milliseconds
     * @param model the embedding model
     * @param chunkTokens the chunker's budget
     * @param chunkOverlap the chunker's overlap
     * @param complete whether every document was indexed
     * @param indexSeconds how long indexing took, over all runs that built it
     */
    record Manifest(String corpus, long corpusBytes, long corpusModified, String model, int chunkTokens,
            int chunkOverlap, boolean complete, double indexSeconds) {

        /** What differs in how the two indexes were built, or null when nothing does. */
        String differenceFrom(Manifest other) {
            if (!Objects.equals(corpus, other.corpus) || corpusBytes != other.corpusBytes
                    || corpusModified != other.corpusModified) {
                return "corpus " + corpus + " (" + corpusBytes + " bytes) instead of " + other.corpus + " ("
                        + other.corpusBytes + " bytes), or the file changed since";
            }
            if (!Objects.equals(model, other.model)) {
                return "model " + model + " instead of " + other.model;
            }
            if (chunkTokens != other.chunkTokens || chunkOverlap != other.chunkOverlap) {
                return "chunks of " + chunkTokens + "/" + chunkOverlap + " tokens instead of " + other.chunkTokens
                        + "/" + other.chunkOverlap;
            }
            return null;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path folder;
    private final boolean temporary;

    private WorkFolder(Path folder, boolean temporary) {
        this.folder = folder;
        this.temporary = temporary;
    }

    /** A new temporary folder, removed by {@link #close}. */
    static WorkFolder temporary() {
        try {
            return new WorkFolder(Files.createTempDirectory("kb-eval-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the index: " + e.getMessage(), e);
        }
    }

    /**
     * A folder that is kept; created when missing.
     *
     * @throws IllegalArgumentException when it holds files but no manifest: it is not an evaluation's folder
     */
    static WorkFolder kept(Path folder) {
        try {
            Files.createDirectories(folder);
            try (Stream<Path> entries = Files.list(folder)) {
                if (!Files.exists(folder.resolve(MANIFEST)) && entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--work " + folder + " holds files but no " + MANIFEST
                            + ", so it is not an evaluation's work folder; name an empty or new folder");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use --work " + folder + ": " + e.getMessage(), e);
        }
        return new WorkFolder(folder, false);
    }

    /** The index's folder. */
    Path index() {
        return folder.resolve(INDEX);
    }

    /**
     * The manifest of the index found here, after checking that it was built like {@code wanted}.
     *
     * @return the manifest, or null when there is no index yet
     * @throws IllegalArgumentException when the index was built from another corpus, model or chunking
     */
    Manifest check(Manifest wanted) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.exists(file)) {
            return null;
        }
        Manifest found;
        try {
            found = JSON.readValue(file.toFile(), Manifest.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + " is not a manifest of kb eval: " + e.getOriginalMessage());
        }
        String difference = wanted.differenceFrom(found);
        if (difference != null) {
            throw new IllegalArgumentException("--work " + folder + " holds an index built differently: this run has "
                    + difference + "; name another folder, or remove this one");
        }
        return found;
    }

    /** Records how the index was built and how far. */
    void write(Manifest manifest) {
        try {
            JSON.writeValue(folder.resolve(MANIFEST).toFile(), manifest);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot write " + folder.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    /** Whether the folder is removed at the end. */
    boolean isTemporary() {
        return temporary;
    }

    /** Removes a temporary folder; a kept one stays. */
    @Override
    public void close() {
        if (!temporary) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            System.err.println("kb eval: could not remove the temporary index " + folder + ": " + e.getMessage());
        }
    }
}
