package io.kb.ingest.parse;

/** The structural role of a {@link Block} of a parsed document. */
public enum BlockKind {
    /** A heading; {@link Block#level()} says how deep (1 is the outermost). */
    HEADING,
    /** A paragraph of prose. */
    PARAGRAPH,
    /** One item of a bulleted or numbered list. */
    LIST_ITEM,
    /** A table: one row per line, cells separated by {@code " | "}. */
    TABLE,
    /** Preformatted text or source code; line breaks are kept. */
    CODE
}
