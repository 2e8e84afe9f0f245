package io.kb.ingest.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the structure of Markdown text, which Tika only sees as plain text: ATX and setext headings,
 * list items, pipe tables, fenced code and paragraphs. Inline markup (emphasis, code spans, links,
 * images) is reduced to its text. Not a full CommonMark parser: HTML blocks and indented code
 * blocks stay paragraphs.
 */
final class MarkdownStructure {

    private static final Pattern ATX = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,}).*$");
    private static final Pattern LIST_ITEM = Pattern.compile("^[ \\t]*(?:[-*+]|\\d{1,9}[.)])[ \\t]+(.*)$");
    private static final Pattern TABLE_SEPARATOR =
            Pattern.compile("^[ \\t]*\\|?[ \\t]*:?-+:?[ \\t]*(?:\\|[ \\t]*:?-+:?[ \\t]*)*\\|?[ \\t]*$");
    private static final Pattern QUOTE = Pattern.compile("^ {0,3}>[ ]?");
    private static final Pattern THEMATIC_BREAK = Pattern.compile("^ {0,3}([-*_])(?:[ \\t]*\\1){2,}[ \\t]*$");

    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
    private static final Pattern STRONG = Pattern.compile("(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1");
    private static final Pattern EMPHASIS = Pattern.compile("(?<![\\w*])\\*(?=\\S)([^*]+?)(?<=\\S)\\*(?![\\w*])");
    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

    /** Signs that a text is Markdown rather than plain text: a heading, a fence or a table separator line. */
    private static final Pattern SIGNS = Pattern.compile(
            "(?m)^(?: {0,3}#{1,6}[ \\t]+\\S.*| {0,3}(?:```|~~~).*|[ \\t]*\\|?[ \\t]*:?-{3,}:?[ \\t]*\\|.*)$");

    private MarkdownStructure() {
    }

    /** Whether plain text looks like Markdown, for content that came without a Markdown hint. */
    static boolean looksLikeMarkdown(String text) {
        return SIGNS.matcher(text).find();
    }

    static List<RawBlock> parse(String markdown) {
        String[] lines = markdown.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<RawBlock> blocks = new ArrayList<>();
        StringBuilder paragraph = new StringBuilder();
        BlockKind paragraphKind = BlockKind.PARAGRAPH;
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            Matcher atx = ATX.matcher(line);
            Matcher item = LIST_ITEM.matcher(line);
            if (line.isBlank()) {
                flush(blocks, paragraph, paragraphKind);
                paragraphKind = BlockKind.PARAGRAPH;
                i++;
            } else if (fence.matches()) {
                flush(blocks, paragraph, paragraphKind);
                String marker = fence.group(1);
                StringBuilder code = new StringBuilder();
                i++;
                while (i < lines.length && !lines[i].strip().startsWith(marker)) {
                    code.append(lines[i]).append('\n');
                    i++;
                }
                i++;
                if (!code.toString().isBlank()) {
                    blocks.add(new RawBlock(BlockKind.CODE, 0, code.toString(), 0));
                }
            } else if (atx.matches()) {
                flush(blocks, paragraph, paragraphKind);
                String heading = atx.group(2) == null ? "" : inline(atx.group(2));
                if (!heading.isBlank()) {
                    blocks.add(new RawBlock(BlockKind.HEADING, atx.group(1).length(), heading, 0));
                }
                i++;
            } else if (paragraphKind == BlockKind.PARAGRAPH && !paragraph.isEmpty() && SETEXT.matcher(line).matches()
                    && paragraph.indexOf("\n") == paragraph.length() - 1) {
                String heading = paragraph.toString();
                paragraph.setLength(0);
                blocks.add(new RawBlock(BlockKind.HEADING, line.strip().startsWith("=") ? 1 : 2, heading, 0));
                i++;
            } else if (THEMATIC_BREAK.matcher(line).matches()) {
                flush(blocks, paragraph, paragraphKind);
                i++;
            } else if (line.contains("|") && i + 1 < lines.length && TABLE_SEPARATOR.matcher(lines[i + 1]).matches()
                    && lines[i + 1].contains("-")) {
                flush(blocks, paragraph, paragraphKind);
                List<String> rows = new ArrayList<>();
                rows.add(row(line));
                i += 2;
                while (i < lines.length && lines[i].contains("|") && !lines[i].isBlank()) {
                    rows.add(row(lines[i]));
                    i++;
                }
                blocks.add(new RawBlock(BlockKind.TABLE, 0, String.join("\n", rows), 0));
            } else if (item.matches()) {
                flush(blocks, paragraph, paragraphKind);
                paragraphKind = BlockKind.LIST_ITEM;
                paragraph.append(inline(item.group(1))).append('\n');
                i++;
            } else {
                Matcher quote = QUOTE.matcher(line);
                paragraph.append(inline(quote.lookingAt() ? line.substring(quote.end()) : line)).append('\n');
                i++;
            }
        }
        flush(blocks, paragraph, paragraphKind);
        return blocks;
    }

    /** Plain text: paragraphs are separated by blank lines. */
    static List<RawBlock> paragraphs(String text) {
        List<RawBlock> blocks = new ArrayList<>();
        for (String paragraph : text.split("\\n[ \\t\\u00A0]*\\n|\\r\\n[ \\t]*\\r\\n")) {
            if (!paragraph.isBlank()) {
                blocks.add(new RawBlock(BlockKind.PARAGRAPH, 0, paragraph, 0));
            }
        }
        return blocks;
    }

    private static void flush(List<RawBlock> blocks, StringBuilder paragraph, BlockKind kind) {
        if (!paragraph.toString().isBlank()) {
            blocks.add(new RawBlock(kind, 0, paragraph.toString(), 0));
        }
        paragraph.setLength(0);
    }

    private static String row(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("|")) {
            trimmed = trimmed.substring(1);
        }
        if (trimmed.endsWith("|") && !trimmed.endsWith("\\|")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        List<String> cells = new ArrayList<>();
        for (String cell : trimmed.split("(?<!\\\\)\\|", -1)) {
            cells.add(inline(cell.strip().replace("\\|", "|")));
        }
        return String.join(" | ", cells);
    }

    /** Each pattern runs only on text that has its marker; most paragraphs have none, and the scans cost. */
    private static String inline(String text) {
        String out = text;
        if (out.indexOf('[') >= 0) {
            out = IMAGE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
            out = LINK.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        }
        if (out.indexOf('`') >= 0) {
            out = CODE_SPAN.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        }
        if (out.indexOf('*') >= 0 || out.indexOf('_') >= 0) {
            out = STRONG.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(2)));
        }
        if (out.indexOf('*') >= 0) {
            out = EMPHASIS.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        }
        return out;
    }
}
