package io.kb.embedding.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic, realistic enterprise paragraphs of mixed lengths, for tests and the benchmark. */
public final class SampleTexts {

    private static final List<String> SENTENCES = List.of(
            "Employees must submit travel expense reports within thirty days of returning from a trip.",
            "The VPN client is required for access to internal systems from outside the office network.",
            "Quarterly revenue grew by eight percent, driven mainly by subscriptions in the European market.",
            "To request a new laptop, open a ticket in the IT service portal and choose the hardware category.",
            "All production database changes need an approved change request and a tested rollback plan.",
            "The onboarding checklist covers security training, benefits enrollment and badge activation.",
            "Customer data may only be stored in regions that the data processing agreement permits.",
            "Meeting rooms on the third floor can be booked through the calendar for up to four hours.",
            "Incident severity one means a full outage affecting customers and pages the on-call engineer.",
            "The parental leave policy grants sixteen weeks of paid leave to every parent after one year.",
            "Passwords must be at least fourteen characters long and are rotated only after a suspected leak.",
            "Release notes are published every second Tuesday together with the updated API reference.",
            "Contractors receive a temporary account that expires automatically at the end of the contract.",
            "The warehouse in Rotterdam handles returns for all orders shipped within the European Union.",
            "Performance reviews take place twice a year and combine peer feedback with manager assessment.",
            "Backups of the document store are encrypted, kept for ninety days and tested every month.",
            "The sales team uses the CRM to log every customer call and to forecast the pipeline.",
            "Open source components must be checked for licence compatibility before they are shipped.",
            "Remote employees can claim a monthly allowance for internet access and office equipment.",
            "The architecture board reviews every proposal that introduces a new external dependency.");

    private SampleTexts() {
    }

    /**
     * @param count how many paragraphs
     * @return paragraphs of 1 to 12 sentences, the same for the same count
     */
    public static List<String> paragraphs(int count) {
        Random random = new Random(42);
        List<String> paragraphs = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            int sentences = 1 + random.nextInt(random.nextInt(4) == 0 ? 12 : 4);
            StringBuilder text = new StringBuilder();
            for (int s = 0; s < sentences; s++) {
                text.append(s == 0 ? "" : " ").append(SENTENCES.get(random.nextInt(SENTENCES.size())));
            }
            paragraphs.add(text.toString());
        }
        return paragraphs;
    }

    /**
     * @param seed which text
     * @param words at least this many words
     * @return a long text of whole sentences
     */
    public static String longText(int seed, int words) {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        int count = 0;
        while (count < words) {
            String sentence = SENTENCES.get(random.nextInt(SENTENCES.size()));
            text.append(text.isEmpty() ? "" : " ").append(sentence);
            count += sentence.split(" ").length;
        }
        return text.toString();
    }
}
