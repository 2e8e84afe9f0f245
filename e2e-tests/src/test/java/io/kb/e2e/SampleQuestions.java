package io.kb.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation questions of the sample knowledge base ({@code samples/knowledge-base/questions.tsv}) and the
 * documents' access lists ({@code manifest.tsv}), to judge the answers of the running stack.
 */
final class SampleQuestions {

    /**
     * @param id        the question's id
     * @param user      the demo user who asks
     * @param question  the question
     * @param documents the documents a right answer cites (empty for questions without one)
     * @param facts     the facts a right answer states
     * @param kind      {@code answerable}, {@code allowed-restricted}, {@code forbidden} or {@code out-of-scope}
     */
    record Question(String id, String user, String question, Set<String> documents, List<String> facts, String kind) {

        boolean shouldBeAnswered() {
            return kind.equals("answerable") || kind.equals("allowed-restricted");
        }
    }

    private SampleQuestions() {
    }

    static List<Question> read(Path knowledgeBase) throws IOException {
        List<String> lines = Files.readAllLines(knowledgeBase.resolve("questions.tsv"), StandardCharsets.UTF_8);
        return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .map(c -> new Question(c[0], c[1], c[3], split(c[4], ","), List.copyOf(split(c[5], "\\|")), c[6]))
                .toList();
    }

    /** Each document's access list: principals such as {@code public} or {@code group:hr}. */
    static Map<String, Set<String>> acls(Path knowledgeBase) throws IOException {
        Map<String, Set<String>> acls = new HashMap<>();
        List<String> lines = Files.readAllLines(knowledgeBase.resolve("manifest.tsv"), StandardCharsets.UTF_8);
        lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split("\t", -1))
                .forEach(c -> acls.put(c[0], split(c[1], ",")));
        return acls;
    }

    private static java.util.LinkedHashSet<String> split(String s, String separator) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        Arrays.stream(s.split(separator)).map(String::strip).filter(x -> !x.isEmpty()).forEach(out::add);
        return out;
    }
}
