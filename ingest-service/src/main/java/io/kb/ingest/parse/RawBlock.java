package io.kb.ingest.parse;

/**
 * A block as the format gave it, before cleaning: line breaks still in place, offsets not known yet.
 *
 * @param kind the block's role
 * @param level the heading level, or 0
 * @param text the raw text; a table has one row per line with cells separated by {@code " | "}
 * @param page the page or slide, from 1, or 0 when unknown
 */
record RawBlock(BlockKind kind, int level, String text, int page) {

    RawBlock withText(String newText) {
        return new RawBlock(kind, level, newText, page);
    }
}
