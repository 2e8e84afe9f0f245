package io.kb.ingest.parse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link ParsedDocument} from raw blocks: cleans each block, joins them with blank lines
 * into the full text, and gives each block its offsets and heading path.
 */
final class DocumentAssembler {

    static final String BLOCK_SEPARATOR = "\n\n";

    private DocumentAssembler() {
    }

    /**
     * @throws ParseFailure {@code empty} when no block has any text after cleaning
     */
    static ParsedDocument assemble(List<RawBlock> rawBlocks, String metadataTitle, String mediaType, int pageCount,
            Map<String, String> metadata) {
        StringBuilder text = new StringBuilder();
        List<Block> blocks = new ArrayList<>(rawBlocks.size());
        Deque<Block> headings = new ArrayDeque<>();
        for (RawBlock raw : rawBlocks) {
            String cleaned = TextCleaner.clean(raw.kind(), raw.text());
            if (cleaned.isEmpty()) {
                continue;
            }
            if (raw.kind() == BlockKind.HEADING) {
                while (!headings.isEmpty() && headings.peekLast().level() >= raw.level()) {
                    headings.removeLast();
                }
            }
            List<String> path = new ArrayList<>(headings.size() + 1);
            headings.forEach(heading -> path.add(heading.text()));
            if (raw.kind() == BlockKind.HEADING) {
                path.add(cleaned);
            }
            if (!text.isEmpty()) {
                text.append(BLOCK_SEPARATOR);
            }
            int start = text.length();
            text.append(cleaned);
            Block block = new Block(raw.kind(), raw.level(), cleaned, raw.page() > 0 ? raw.page() : null, path,
                    start, text.length());
            blocks.add(block);
            if (raw.kind() == BlockKind.HEADING) {
                headings.addLast(block);
            }
        }
        if (blocks.isEmpty()) {
            throw new ParseFailure(ParseFailure.Reason.EMPTY, "the document contains no text");
        }
        String title = TextCleaner.cleanLine(metadataTitle);
        if (title.isEmpty()) {
            title = blocks.stream().filter(b -> b.kind() == BlockKind.HEADING).map(Block::text).findFirst().orElse(null);
        }
        String fullText = text.toString();
        return new ParsedDocument(title, mediaType, LanguageGuess.of(fullText), fullText, blocks, pageCount, metadata);
    }
}
