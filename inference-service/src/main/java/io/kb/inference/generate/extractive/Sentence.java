package io.kb.inference.generate.extractive;

import java.util.Set;

/**
 * One candidate sentence of a source, cleaned of Markdown.
 *
 * @param text         the sentence as an answer shows it
 * @param source       the number of the source it comes from
 * @param position     its place in the source, from 0
 * @param terms        its content words
 * @param contextTerms the content words of the headings above it (a table row also gets its header's)
 * @param chinese      whether it is written in Chinese
 */
record Sentence(String text, int source, int position, Set<String> terms, Set<String> contextTerms,
        boolean chinese) {
}
