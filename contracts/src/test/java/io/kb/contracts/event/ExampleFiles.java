package io.kb.contracts.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The example documents under {@code src/test/resources/examples/<schema>/<kind>/}, where kind is
 * {@code valid}, {@code invalid} (the schema and the records both reject them) or {@code java-only}
 * (rules only the records can check), and the manifests {@code expected-fields.tsv} that name the
 * field each rejection must report.
 */
final class ExampleFiles {

    private static final String MANIFEST = "expected-fields.tsv";

    private ExampleFiles() {
    }

    /** The JSON files of one folder, by name; empty when the folder does not exist. */
    static List<Path> files(String schema, String kind) {
        Path folder = folder(schema, kind);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(folder)) {
            return listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifest of one folder: file name to expected field, in file order. */
    static Map<String, String> expectedFields(String schema, String kind) {
        Path manifest = folder(schema, kind).resolve(MANIFEST);
        Map<String, String> fields = new LinkedHashMap<>();
        if (!Files.exists(manifest)) {
            return fields;
        }
        for (String line : read(manifest).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            if (columns.length != 2 || fields.put(columns[0], columns[1]) != null) {
                throw new IllegalStateException(manifest + ": bad or repeated line '" + line + "'");
            }
        }
        return fields;
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path folder(String schema, String kind) {
        URL root = ExampleFiles.class.getResource("/examples");
        if (root == null) {
            throw new IllegalStateException("no examples on the test class path");
        }
        try {
            return Path.of(root.toURI()).resolve(schema).resolve(kind);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
