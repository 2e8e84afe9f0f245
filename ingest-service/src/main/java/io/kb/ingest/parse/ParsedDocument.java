package io.kb.ingest.parse;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A document after parsing and cleaning: its text, its structure and what its format said about it.
 *
 * <p>The text is the blocks' texts joined by blank lines ({@code "\n\n"}); every offset of a block
 * (and of the chunks cut from it) counts UTF-16 characters of this text.
 *
 * @param title the title from the document's metadata ({@code dc:title}, an e-mail's subject) or else
 *        its first heading; null when it has neither
 * @param mediaType the media type detected from the content, without parameters, such as
 *        {@code application/pdf} or {@code text/markdown}
 * @param language a guess at the main language ({@code en}, {@code zh}) from the characters used; null
 *        when the guess would be unreliable
 * @param text the cleaned full text: Unicode NFC, no control characters, normalised whitespace, page
 *        headers and footers that repeat on most pages removed
 * @param blocks the structural blocks in reading order, at least one
 * @param pageCount the number of pages or slides; 0 for formats without pages
 * @param metadata selected metadata, such as {@code author}, {@code from}, {@code to}, {@code date}
 *        and {@code created}; values are cleaned text
 */
public record ParsedDocument(String title, String mediaType, String language, String text, List<Block> blocks,
        int pageCount, Map<String, String> metadata) {

    /** Checks the components and copies the collections. */
    public ParsedDocument {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(text, "text");
        blocks = List.copyOf(blocks);
        metadata = Map.copyOf(metadata);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("a parsed document has at least one block");
        }
        for (Block block : blocks) {
            if (block.endOffset() > text.length()
                    || !text.regionMatches(block.startOffset(), block.text(), 0, block.text().length())) {
                throw new IllegalArgumentException("block at " + block.startOffset() + " does not match the text");
            }
        }
    }
}
