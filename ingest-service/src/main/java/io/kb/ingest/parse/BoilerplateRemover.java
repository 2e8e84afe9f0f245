package io.kb.ingest.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Removes running headers and footers: lines among the first or last two of a page that repeat,
 * with any numbers in them (page numbers, dates) counted as equal, on a configured share of pages.
 *
 * <p>Works on raw blocks, before cleaning joins their lines, because PDF extraction often puts the
 * header in the same paragraph as the first line of the body.
 */
final class BoilerplateRemover {

    private static final int EDGE_LINES = 2;
    private static final int MIN_PAGES = 3;

    private final double minPageShare;

    BoilerplateRemover(double minPageShare) {
        this.minPageShare = minPageShare;
    }

    List<RawBlock> remove(List<RawBlock> blocks) {
        Map<Integer, List<Line>> pages = new TreeMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            RawBlock block = blocks.get(b);
            if (block.page() <= 0 || block.kind() == BlockKind.CODE) {
                continue;
            }
            String[] lines = block.text().split("\n", -1);
            for (int l = 0; l < lines.length; l++) {
                if (!lines[l].isBlank()) {
                    pages.computeIfAbsent(block.page(), p -> new ArrayList<>()).add(new Line(b, l, key(lines[l])));
                }
            }
        }
        if (pages.size() < MIN_PAGES) {
            return blocks;
        }
        Map<String, Set<Integer>> pagesByKey = new HashMap<>();
        pages.forEach((page, lines) -> edges(lines).forEach(line ->
                pagesByKey.computeIfAbsent(line.key(), k -> new HashSet<>()).add(page)));
        int needed = Math.max(MIN_PAGES, (int) Math.ceil(minPageShare * pages.size()));
        Set<Long> doomed = new HashSet<>();
        pages.values().forEach(lines -> edges(lines).stream()
                .filter(line -> pagesByKey.get(line.key()).size() >= needed)
                .forEach(line -> doomed.add(((long) line.block() << 32) | line.line())));
        if (doomed.isEmpty()) {
            return blocks;
        }
        List<RawBlock> kept = new ArrayList<>(blocks.size());
        for (int b = 0; b < blocks.size(); b++) {
            RawBlock block = blocks.get(b);
            String[] lines = block.text().split("\n", -1);
            StringBuilder text = new StringBuilder();
            for (int l = 0; l < lines.length; l++) {
                if (!doomed.contains(((long) b << 32) | l)) {
                    text.append(lines[l]).append('\n');
                }
            }
            if (!text.toString().isBlank()) {
                kept.add(block.withText(text.toString()));
            }
        }
        return kept;
    }

    private static List<Line> edges(List<Line> lines) {
        if (lines.size() <= 2 * EDGE_LINES) {
            return lines;
        }
        List<Line> edges = new ArrayList<>(lines.subList(0, EDGE_LINES));
        edges.addAll(lines.subList(lines.size() - EDGE_LINES, lines.size()));
        return edges;
    }

    private static String key(String line) {
        return line.strip().replaceAll("\\s+", " ").replaceAll("\\d+", "#").toLowerCase(Locale.ROOT);
    }

    private record Line(int block, int line, String key) {
    }
}
