package io.kb.cli.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A retrieval test set in BEIR's format, read whole: {@code corpus.jsonl} (one {@code {"_id", "title", "text"}}
 * a line), a queries file ({@code {"_id", "text"}} a line) and a qrels file (tab separated
 * {@code query-id corpus-id score} with a header line; a score above 0 marks a relevant document, the score is
 * its graded gain). Every problem names the file and line.
 *
 * @param name the folder's name, for the report
 * @param corpus the documents in file order
 * @param queries the queries in file order
 * @param qrels per query id, the graded judgments by document id, as the file has them (scores of 0 or less
 *        included: they say "judged not relevant")
 */
record BeirDataset(String name, List<Document> corpus, List<Query> queries, Map<String, Map<String, Integer>> qrels) {

    /** The corpus file inside a BEIR folder. */
    static final String CORPUS = "corpus.jsonl";
    /** The test qrels inside a BEIR folder. */
    static final String TEST_QRELS = "qrels/test.tsv";

    /** One document of the corpus; either part may be empty, not both. */
    record Document(String id, String title, String text) {
    }

    /** One query. */
    record Query(String id, String text) {
    }

    BeirDataset {
        corpus = List.copyOf(corpus);
        queries = List.copyOf(queries);
        qrels = Collections.unmodifiableMap(qrels);
    }

    /**
     * The default queries file of a BEIR folder: {@code queries_test.jsonl} when it exists (BEIR's test split as
     * some sets ship it), else {@code queries.jsonl}.
     */
    static Path defaultQueries(Path folder) {
        Path test = folder.resolve("queries_test.jsonl");
        return Files.isRegularFile(test) ? test : folder.resolve("queries.jsonl");
    }

    /**
     * Reads a BEIR folder.
     *
     * @param folder the folder holding {@code corpus.jsonl}
     * @param queriesFile the queries to run
     * @param qrelsFile the judgments
     * @throws IllegalArgumentException naming the file (and line) that is missing or malformed
     */
    static BeirDataset read(Path folder, Path queriesFile, Path qrelsFile) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder; --beir needs a BEIR folder with "
                    + CORPUS + ", queries*.jsonl and " + TEST_QRELS);
        }
        List<Document> corpus = readCorpus(requireFile(folder.resolve(CORPUS), "the corpus"));
        List<Query> queries = readQueries(requireFile(queriesFile, "the queries (--queries)"));
        Map<String, Map<String, Integer>> qrels = readQrels(requireFile(qrelsFile, "the qrels (--qrels)"));
        Path name = folder.toAbsolutePath().normalize().getFileName();
        return new BeirDataset(name == null ? folder.toString() : name.toString(), corpus, queries, qrels);
    }

    /**
     * The queries that have at least one relevant document in the qrels, in file order: the ones that are
     * evaluated. The rest cannot score and are left out, as BEIR's evaluation leaves them out.
     */
    List<Query> judgedQueries() {
        List<Query> judged = new ArrayList<>();
        for (Query query : queries) {
            Map<String, Integer> judgments = qrels.get(query.id());
            if (judgments != null && judgments.values().stream().anyMatch(score -> score > 0)) {
                judged.add(query);
            }
        }
        return judged;
    }

    /** Relevant documents named by the qrels that the corpus lacks; they count as never found. */
    long relevantDocumentsMissingFromCorpus() {
        Set<String> ids = new HashSet<>();
        corpus.forEach(d -> ids.add(d.id()));
        return qrels.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getValue() > 0 && !ids.contains(e.getKey())).map(Map.Entry::getKey).distinct().count();
    }

    private static Path requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + ": " + file + " does not exist");
        }
        return file;
    }

    private static List<Document> readCorpus(Path file) {
        List<Document> documents = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        forEachJsonLine(file, (line, node) -> {
            String id = requiredId(file, line, node);
            String title = optionalText(file, line, node, "title");
            String text = optionalText(file, line, node, "text");
            if (!seen.add(id)) {
                throw new IllegalArgumentException(file + " line " + line + ": document id '" + id + "' repeats");
            }
            documents.add(new Document(id, title, text));
        });
        if (documents.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no documents");
        }
        return documents;
    }

    private static List<Query> readQueries(Path file) {
        List<Query> queries = new ArrayList<>();
        forEachJsonLine(file, (line, node) -> {
            String id = requiredId(file, line, node);
            String text = optionalText(file, line, node, "text");
            if (text.isBlank()) {
                throw new IllegalArgumentException(file + " line " + line + ": query '" + id + "' has no text");
            }
            queries.add(new Query(id, text));
        });
        return queries;
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String row;
            int line = 0;
            while ((row = in.readLine()) != null) {
                line++;
                if (row.isBlank()) {
                    continue;
                }
                String[] cells = row.strip().split("\t");
                if (line == 1 && cells.length == 3 && cells[2].strip().equalsIgnoreCase("score")) {
                    continue;
                }
                if (cells.length != 3) {
                    throw new IllegalArgumentException(file + " line " + line
                            + ": expected 3 tab-separated cells (query-id, corpus-id, score), found " + cells.length);
                }
                int score;
                try {
                    score = Integer.parseInt(cells[2].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": score '" + cells[2]
                            + "' is not a whole number");
                }
                qrels.computeIfAbsent(cells[0].strip(), q -> new LinkedHashMap<>()).put(cells[1].strip(), score);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (qrels.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no judgments");
        }
        return qrels;
    }

    private interface LineHandler {
        void handle(int line, JsonNode node);
    }

    private static void forEachJsonLine(Path file, LineHandler handler) {
        JsonMapper json = JsonMapper.builder().build();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String row;
            int line = 0;
            while ((row = in.readLine()) != null) {
                line++;
                if (row.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = json.readTree(row);
                } catch (JacksonException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": not a JSON object: "
                            + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException(file + " line " + line + ": not a JSON object");
                }
                handler.handle(line, node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String requiredId(Path file, int line, JsonNode node) {
        JsonNode id = node.get("_id");
        if (id == null || !(id.isString() || id.isNumber()) || id.asString().isBlank()) {
            throw new IllegalArgumentException(file + " line " + line + ": \"_id\" is missing or not a string");
        }
        return id.asString();
    }

    private static String optionalText(Path file, int line, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            throw new IllegalArgumentException(file + " line " + line + ": \"" + field + "\" is not a string");
        }
        return value.asString();
    }
}
