package io.kb.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kb.contracts.event.Content;
import io.kb.contracts.event.DocumentEvent;

/**
 * Markdown documents of English prose made up from a seed: the same seed, count and paragraph count give the
 * same texts on every machine ({@link Random}'s algorithm is specified), and no two documents of a run are alike.
 * Paragraphs vary from two to eight sentences, so that the chunker sees uneven input, as it does in real use.
 */
final class SyntheticDocuments {

    static final String MEDIA_TYPE = "text/markdown";

    private static final String[] TOPICS = {
            "the quarterly release process", "customer onboarding", "incident response", "the data retention policy",
            "vendor security reviews", "the travel expense procedure", "on-call handovers", "the payments platform",
            "regional warehouse operations", "the annual budget cycle", "access requests", "the design review board",
            "laptop replacement", "contract renewals", "the support escalation path", "capacity planning"};
    private static final String[] SECTIONS = {
            "Background", "Who is involved", "Step by step", "Exceptions", "Common questions", "What changed",
            "Known issues", "Approvals", "Timelines", "Related guidance"};
    private static final String[] SUBJECTS = {
            "The team lead", "Every new hire", "The finance office", "A regional manager", "The security group",
            "The service owner", "Each reviewer", "The operations desk", "An account executive", "The legal team",
            "The platform group", "A product manager", "The help desk", "Most contractors", "The records officer"};
    private static final String[] VERBS = {
            "reviews", "approves", "documents", "schedules", "escalates", "archives", "updates", "tracks",
            "verifies", "summarizes", "coordinates", "audits", "publishes", "signs off on", "prioritizes"};
    private static final String[] OBJECTS = {
            "the change request", "the weekly report", "every open ticket", "the signed agreement",
            "the shared runbook", "the budget forecast", "the customer's feedback", "the migration plan",
            "the access log", "the risk register", "the training material", "the invoice batch",
            "the deployment checklist", "the meeting notes", "the supplier questionnaire"};
    private static final String[] QUALIFIERS = {
            "before the end of the month", "within two working days", "as soon as the request arrives",
            "after the steering committee meets", "whenever a deadline moves", "in the shared workspace",
            "using the standard template", "with a copy to the compliance mailbox", "during the Monday stand-up",
            "once the previous step is closed", "unless the amount exceeds the approved limit",
            "for every region separately", "in line with last year's audit findings"};
    private static final String[] REASONS = {
            "so that nobody has to ask twice", "because the auditors look for it first",
            "which keeps the backlog short", "since the customer is waiting on it", "to avoid duplicate work",
            "so the next shift knows where things stand", "because late changes cost more to undo",
            "which makes the quarterly review much faster"};
    private static final String[] CONNECTIVES = {
            "In practice,", "As a rule,", "However,", "In most cases,", "For example,", "Since last spring,",
            "When in doubt,", "Occasionally,", "By default,", "Afterwards,"};

    private final long seed;

    SyntheticDocuments(long seed) {
        this.seed = seed;
    }

    /**
     * Events that add {@code count} documents, ids {@code bench/doc-00000} on, readable by everyone.
     *
     * @param version the version of every document (the current time, so that a rerun is never stale)
     */
    List<DocumentEvent> events(String tenant, int count, int paragraphs, long version) {
        List<DocumentEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(DocumentEvent.upsert(tenant, documentId(i), version, title(i), MEDIA_TYPE,
                    List.of("public"), Map.of("generator", "kb-bench"), Content.ofText(text(i, paragraphs))));
        }
        return events;
    }

    static String documentId(int index) {
        return String.format(java.util.Locale.ROOT, "bench/doc-%05d", index);
    }

    String title(int index) {
        return "Handbook note " + (index + 1) + ": " + capitalize(pick(random(index), TOPICS));
    }

    /** The Markdown text of one document: a title, a section heading halfway, {@code paragraphs} paragraphs. */
    String text(int index, int paragraphs) {
        Random r = random(index);
        String topic = pick(r, TOPICS);
        StringBuilder md = new StringBuilder();
        // The title names the document's number, which alone keeps two documents of a run from being equal.
        md.append("# Handbook note ").append(index + 1).append(": ").append(capitalize(topic)).append("\n\n");
        for (int p = 0; p < paragraphs; p++) {
            if (p > 0 && p == paragraphs / 2) {
                md.append("## ").append(pick(r, SECTIONS)).append("\n\n");
            }
            md.append(paragraph(r, topic)).append("\n\n");
        }
        return md.toString().strip() + "\n";
    }

    private static String paragraph(Random r, String topic) {
        int sentences = 2 + r.nextInt(7);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            if (i > 0) {
                s.append(' ');
            }
            s.append(sentence(r, topic, i == 0));
        }
        return s.toString();
    }

    private static String sentence(Random r, String topic, boolean first) {
        StringBuilder s = new StringBuilder();
        String subject = pick(r, SUBJECTS);
        if (!first && r.nextInt(3) == 0) {
            s.append(pick(r, CONNECTIVES)).append(' ');
            subject = Character.toLowerCase(subject.charAt(0)) + subject.substring(1);
        }
        s.append(subject).append(' ').append(pick(r, VERBS)).append(' ').append(pick(r, OBJECTS));
        if (first) {
            s.append(" for ").append(topic);
        }
        s.append(' ').append(pick(r, QUALIFIERS));
        if (r.nextBoolean()) {
            s.append(", ").append(pick(r, REASONS));
        }
        return s.append('.').toString();
    }

    private Random random(int index) {
        return new Random(seed * 1_000_003L + index);
    }

    private static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
