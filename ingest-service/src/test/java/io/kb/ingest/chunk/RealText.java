package io.kb.ingest.chunk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Real prose for the tests that compare counting methods: the sample knowledge base (English and Chinese Markdown)
 * and this repository's architecture note, read from the checkout.
 */
final class RealText {

    private static final Path ROOT = Path.of("..");

    private RealText() {
    }

    /** The paths of the real documents, sorted. */
    static List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> samples = Files.walk(ROOT.resolve("samples/knowledge-base"))) {
            samples.filter(f -> f.toString().endsWith(".md") && !f.getFileName().toString().equals("README.md"))
                    .sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.add(ROOT.resolve("docs/ARCHITECTURE.md"));
        if (files.size() < 10) {
            throw new IllegalStateException("expected the sample knowledge base under " + ROOT.toAbsolutePath());
        }
        return files;
    }

    /** The documents' texts. */
    static List<String> all() throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path file : files()) {
            texts.add(Files.readString(file, StandardCharsets.UTF_8));
        }
        return texts;
    }
}
