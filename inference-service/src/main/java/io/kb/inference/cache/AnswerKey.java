package io.kb.inference.cache;

import io.kb.inference.generate.PromptMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * What makes two questions the same answer: the question normalised (Unicode NFKC, case, spacing, closing
 * punctuation), the conversation before it, the asker's tenant and principals (two people who may read different
 * documents never share an answer), and the tenant's index version (a new or removed document changes it).
 *
 * @param digest a SHA-256 of all of these, hex
 */
public record AnswerKey(String digest) {

    /** Builds the key. */
    public static AnswerKey of(String question, List<PromptMessage> history, String tenant, List<String> principals,
            String indexVersion) {
        StringBuilder b = new StringBuilder();
        b.append(tenant).append('\u0000').append(String.join(",", new TreeSet<>(principals))).append('\u0000')
                .append(indexVersion).append('\u0000');
        for (PromptMessage m : history) {
            b.append(m.role()).append(':').append(normalise(m.content())).append('\u0000');
        }
        b.append(normalise(question));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return new AnswerKey(HexFormat.of().formatHex(hash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The question as the key sees it: "What is X?" and "  what is x " are the same. */
    static String normalise(String text) {
        String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        t = t.replaceAll("\\s+", " ").strip();
        return t.replaceAll("[\\s?？!！.。]+$", "");
    }
}
