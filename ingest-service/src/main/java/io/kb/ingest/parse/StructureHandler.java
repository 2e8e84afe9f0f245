package io.kb.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.PagedText;
import org.xml.sax.Attributes;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Turns the XHTML that Tika emits into {@link RawBlock}s: {@code h1..h6}, {@code p}, {@code li},
 * {@code table/tr/td}, {@code pre}, and pages from PDF's {@code <div class="page">} and PPTX's
 * {@code <div class="slide-content">}. Slide masters (layout placeholders) are skipped.
 *
 * <p>It also enforces the limits that can only be seen while the output flows: characters, pages,
 * and abandonment after the deadline. Each SAX callback checks them and throws
 * {@link ParseLimitExceeded}; the first breach is remembered, because some parsers swallow exceptions
 * of embedded documents and would otherwise go on.
 */
final class StructureHandler extends DefaultHandler {

    private static final String CELL_SEPARATOR = " | ";

    private final Metadata metadata;
    private final int maxPages;
    private final int maxCharacters;
    private final AtomicBoolean abandoned;

    private final List<RawBlock> blocks = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private BlockKind kind;
    private int level;

    private int page;
    private int pages;
    private long characters;
    private int skipDepth;
    private int headDepth;
    private int listDepth;
    private int preDepth;

    private int tableDepth;
    private List<String> rows;
    private List<String> cells;
    private StringBuilder cell;

    private ParseLimitExceeded breach;

    StructureHandler(Metadata metadata, int maxPages, int maxCharacters, AtomicBoolean abandoned) {
        this.metadata = metadata;
        this.maxPages = maxPages;
        this.maxCharacters = maxCharacters;
        this.abandoned = abandoned;
    }

    List<RawBlock> blocks() {
        return blocks;
    }

    int pageCount() {
        return pages;
    }

    /** The first limit crossed, or null; checked after the parse, whatever the parser did with it. */
    ParseLimitExceeded breach() {
        return breach;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attributes)
            throws ParseLimitExceeded {
        check();
        String name = name(localName, qName);
        String cssClass = attributes.getValue("class");
        if (skipDepth > 0) {
            skipDepth++;
            return;
        }
        switch (name) {
            case "head" -> headDepth++;
            case "script", "style", "title" -> skipDepth = 1;
            case "div" -> {
                if ("page".equals(cssClass) || "slide-content".equals(cssClass)) {
                    flush();
                    startPage();
                } else if ("slide-master-content".equals(cssClass)) {
                    skipDepth = 1;
                }
            }
            case "h1", "h2", "h3", "h4", "h5", "h6" -> {
                if (tableDepth == 0) {
                    start(BlockKind.HEADING, name.charAt(1) - '0');
                }
            }
            case "p" -> {
                if (tableDepth > 0 || listDepth > 0 || preDepth > 0) {
                    separate();
                } else {
                    start(BlockKind.PARAGRAPH, 0);
                }
            }
            case "li" -> {
                if (tableDepth == 0) {
                    listDepth++;
                    start(BlockKind.LIST_ITEM, 0);
                }
            }
            case "pre" -> {
                if (tableDepth == 0) {
                    preDepth++;
                    start(BlockKind.CODE, 0);
                }
            }
            case "br" -> append("\n");
            case "table" -> {
                if (tableDepth++ == 0) {
                    flush();
                    rows = new ArrayList<>();
                }
            }
            case "tr" -> {
                if (tableDepth == 1) {
                    cells = new ArrayList<>();
                }
            }
            case "td", "th" -> {
                if (tableDepth == 1) {
                    cell = new StringBuilder();
                } else {
                    separate();
                }
            }
            default -> {
                // Other elements (span, b, a, div, ...) only carry text into the block around them.
            }
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws ParseLimitExceeded {
        check();
        String name = name(localName, qName);
        if (skipDepth > 0) {
            skipDepth--;
            return;
        }
        switch (name) {
            case "head" -> headDepth--;
            case "h1", "h2", "h3", "h4", "h5", "h6", "p" -> {
                if (tableDepth == 0 && listDepth == 0 && preDepth == 0) {
                    flush();
                }
            }
            case "li" -> {
                if (tableDepth == 0 && listDepth > 0) {
                    listDepth--;
                    flush();
                }
            }
            case "pre" -> {
                if (tableDepth == 0 && preDepth > 0) {
                    preDepth--;
                    flush();
                }
            }
            case "td", "th" -> {
                if (tableDepth == 1 && cell != null && cells != null) {
                    cells.add(cell.toString().replaceAll("\\s+", " ").strip());
                    cell = null;
                }
            }
            case "tr" -> {
                if (tableDepth == 1 && cells != null) {
                    if (cells.stream().anyMatch(c -> !c.isEmpty())) {
                        rows.add(String.join(CELL_SEPARATOR, cells));
                    }
                    cells = null;
                }
            }
            case "table" -> {
                if (tableDepth > 0 && --tableDepth == 0) {
                    if (!rows.isEmpty()) {
                        blocks.add(new RawBlock(BlockKind.TABLE, 0, String.join("\n", rows), page));
                    }
                    rows = null;
                }
            }
            case "div", "body" -> flush();
            default -> {
                // Inline elements end without ending a block.
            }
        }
    }

    @Override
    public void characters(char[] ch, int start, int length) throws ParseLimitExceeded {
        check();
        if (skipDepth > 0 || headDepth > 0) {
            return;
        }
        characters += length;
        if (characters > maxCharacters) {
            throw remember(new ParseLimitExceeded(ParseFailure.Reason.TOO_LARGE,
                    "the document yields more than " + maxCharacters + " characters of text"));
        }
        if (tableDepth > 0) {
            if (cell != null) {
                cell.append(ch, start, length);
            }
            return;
        }
        if (kind == null) {
            kind = BlockKind.PARAGRAPH;
        }
        text.append(ch, start, length);
    }

    @Override
    public void ignorableWhitespace(char[] ch, int start, int length) throws ParseLimitExceeded {
        check();
    }

    private void startPage() throws ParseLimitExceeded {
        pages++;
        page = pages;
        if (pages > maxPages) {
            throw remember(new ParseLimitExceeded(ParseFailure.Reason.TOO_MANY_PAGES,
                    "the document has more than " + maxPages + " pages or slides"));
        }
    }

    private void start(BlockKind newKind, int newLevel) {
        flush();
        kind = newKind;
        level = newLevel;
    }

    private void flush() {
        if (kind != null && !text.toString().isBlank()) {
            blocks.add(new RawBlock(kind, level, text.toString(), page));
        }
        text.setLength(0);
        kind = null;
        level = 0;
    }

    private void append(String s) {
        if (tableDepth > 0) {
            if (cell != null) {
                cell.append(s);
            }
        } else if (kind != null) {
            text.append(s);
        }
    }

    /** A paragraph inside a cell or list item: keep its words apart from the next one's. */
    private void separate() {
        append(preDepth > 0 ? "\n" : " ");
    }

    private void check() throws ParseLimitExceeded {
        if (breach != null) {
            throw breach;
        }
        if (abandoned.get()) {
            throw remember(new ParseLimitExceeded(ParseFailure.Reason.TIMEOUT, "parsing was abandoned after its deadline"));
        }
        // PDF and PPTX announce the page count before their content: fail before extracting any page.
        Integer declaredPages = metadata.getInt(PagedText.N_PAGES);
        if (declaredPages != null && declaredPages > maxPages) {
            throw remember(new ParseLimitExceeded(ParseFailure.Reason.TOO_MANY_PAGES,
                    "the document has " + declaredPages + " pages; at most " + maxPages + " are accepted"));
        }
    }

    private ParseLimitExceeded remember(ParseLimitExceeded exceeded) {
        if (breach == null) {
            breach = exceeded;
        }
        return breach;
    }

    private static String name(String localName, String qName) {
        String name = localName == null || localName.isEmpty() ? qName : localName;
        return name.toLowerCase(Locale.ROOT);
    }
}
