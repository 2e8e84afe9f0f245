package io.kb.ingest.chunk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;

import io.kb.ingest.parse.Block;
import io.kb.ingest.parse.BlockKind;
import io.kb.ingest.parse.ParsedDocument;

/**
 * {@link Chunker} that packs a document's blocks into chunks of at most {@code max-tokens} tokens of
 * the embedding model's tokenizer, following the structure:
 * <ol>
 *   <li>Each block becomes units that are kept whole: a heading, a paragraph or list item that fits,
 *       a table row, a code block. What does not fit is split: prose at sentence boundaries
 *       ({@link SentenceSplitter}), tables at rows, code at lines, and a single piece that is still
 *       too long at the last word (or CJK character) that fits, its pieces after the first leaving
 *       {@code overlap-tokens} of room for the overlap.</li>
 *   <li>Units are packed in order while the chunk's text stays within the budget. A heading always
 *       starts a new chunk, unless the chunk so far holds only headings, so a section's heading is
 *       kept with its first passage and chunks never span two sections.</li>
 *   <li>A chunk that continues the section of the previous one starts with an overlap: the previous
 *       chunk's last sentence when it has at most {@code overlap-tokens} tokens, otherwise its last
 *       words up to that count; dropped when it would push the chunk over the budget.</li>
 * </ol>
 * A chunk's text is exactly {@code document.text().substring(startOffset, endOffset)}, overlap included
 * (see {@link TextChunk}). Its heading path is that of its first non-heading unit, its page that of its
 * first unit. Token counts are exact: a chunk's count is that of its whole text. With a tokenizer whose counts add
 * up across spaces ({@link TokenCounter#additiveAcrossSpaces}, the bge models) a growing chunk is counted by adding
 * each new unit's count when only spaces separate it from the chunk, which is that same number without tokenizing
 * the chunk again for every unit; otherwise, or across any other gap, the whole span is counted.
 */
public final class TokenBudgetChunker implements Chunker {

    private final ChunkProperties properties;
    private final Function<String, ? extends TokenCounter> countersByModel;

    /**
     * @param properties the budget, overlap and models
     * @param countersByModel the token counter of a model, by the model's name
     */
    public TokenBudgetChunker(ChunkProperties properties, Function<String, ? extends TokenCounter> countersByModel) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.countersByModel = Objects.requireNonNull(countersByModel, "countersByModel");
    }

    /**
     * A chunker that counts with {@link HuggingFaceTokenCounter}s, loaded now for every configured model
     * so that a missing tokenizer fails at start-up.
     */
    public static TokenBudgetChunker withHuggingFaceTokenizers(ChunkProperties properties) {
        Map<String, HuggingFaceTokenCounter> counters = new HashMap<>();
        counters.put(properties.model(), HuggingFaceTokenCounter.forModel(properties.model()));
        properties.languageModels().values().forEach(model ->
                counters.computeIfAbsent(model, HuggingFaceTokenCounter::forModel));
        return new TokenBudgetChunker(properties, Map.copyOf(counters)::get);
    }

    @Override
    public List<TextChunk> chunk(ParsedDocument document) {
        TokenCounter counter = countersByModel.apply(properties.modelFor(document.language()));
        if (counter == null) {
            throw new IllegalStateException("no token counter for model " + properties.modelFor(document.language()));
        }
        return new Run(document.text(), counter).chunk(document.blocks());
    }

    /**
     * The largest position in {@code (known, limit]} that {@code fits}, or {@code known} if none, for a
     * predicate that holds up to some position and not after it. Probes {@code known + guess} first, then
     * gallops on from the last position that fits (+1, +3, +7, ...) and bisects the gap, so it makes
     * O(log d) probes, none much farther than the answer at distance d or the guess. Only valid positions
     * are probed: {@code up} and {@code down} move a position to the nearest valid one at or above and at
     * or below it.
     */
    static int gallop(int known, int limit, int guess, IntPredicate fits, IntUnaryOperator up, IntUnaryOperator down) {
        int lo = known;
        int hi = limit + 1;
        int step = Math.max(1, guess);
        while (lo < limit) {
            int probe = Math.min(up.applyAsInt((int) Math.min((long) lo + step, limit)), limit);
            if (!fits.test(probe)) {
                hi = probe;
                break;
            }
            step = lo == known ? 1 : step << 1;
            lo = probe;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            int probe = up.applyAsInt(mid);
            if (probe >= hi) {
                probe = down.applyAsInt(mid);
            }
            if (probe <= lo) {
                break;
            }
            if (fits.test(probe)) {
                lo = probe;
            } else {
                hi = probe;
            }
        }
        return lo;
    }

    /** A span of the text that is kept whole when it fits. */
    private record Unit(int start, int end, boolean heading, int section, List<String> headingPath, Integer page) {
    }

    /** The chunking of one document. */
    private final class Run {

        private final String text;
        private final TokenCounter counter;
        private final int max = properties.maxTokens();

        Run(String text, TokenCounter counter) {
            this.text = text;
            this.counter = counter;
        }

        List<TextChunk> chunk(List<Block> blocks) {
            List<Unit> units = units(blocks);
            List<TextChunk> chunks = new ArrayList<>();
            int start = -1;
            int startUnit = -1;
            Integer startPage = null;
            // The tokens of [start, end of the previous unit): a chunk grows by adding counts, not by recounting.
            int counted = 0;
            for (int u = 0; u < units.size(); u++) {
                Unit unit = units.get(u);
                if (start >= 0) {
                    Unit first = units.get(startUnit);
                    Unit last = units.get(u - 1);
                    boolean onlyHeadings = units.subList(startUnit, u).stream().allMatch(Unit::heading);
                    boolean newSection = unit.section() != last.section() && !onlyHeadings;
                    if (!newSection) {
                        int grown = grownTokens(start, counted, last, unit);
                        if (grown <= max) {
                            counted = grown;
                            continue;
                        }
                    }
                    chunks.add(chunk(start, last.end(), units.subList(startUnit, u), startPage, counted));
                    int overlap = newSection ? -1 : overlapStart(last);
                    int overlapped = overlap >= 0 && overlap < unit.start() ? tokens(overlap, unit.end()) : max + 1;
                    if (overlapped <= max) {
                        start = overlap;
                        counted = overlapped;
                        startPage = last.page() != null ? pageAt(units, u - 1, overlap) : unit.page();
                    } else {
                        start = unit.start();
                        counted = tokens(unit.start(), unit.end());
                        startPage = unit.page();
                    }
                    startUnit = u;
                    continue;
                }
                start = unit.start();
                counted = tokens(unit.start(), unit.end());
                startUnit = u;
                startPage = unit.page();
            }
            if (start >= 0) {
                chunks.add(chunk(start, units.getLast().end(), units.subList(startUnit, units.size()), startPage,
                        counted));
            }
            return chunks;
        }

        /**
         * The tokens of {@code [start, unit.end())}, given those of {@code [start, last.end())}: their sum with the
         * unit's own when the counter adds up across the spaces between the two, else a count of the whole span.
         * Counting the whole span for every unit tokenized a chunk of n sentences n times over.
         */
        private int grownTokens(int start, int tokensToLast, Unit last, Unit unit) {
            if (counter.additiveAcrossSpaces() && onlySpaces(last.end(), unit.start())) {
                return tokensToLast + tokens(unit.start(), unit.end());
            }
            return tokens(start, unit.end());
        }

        /**
         * Whether {@code [from, to)} is not empty and holds only characters that every tokenizer of
         * {@link TokenCounter#additiveAcrossSpaces} treats as a space.
         */
        private boolean onlySpaces(int from, int to) {
            if (from >= to) {
                return false;
            }
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && Character.getType(c) != Character.SPACE_SEPARATOR) {
                    return false;
                }
            }
            return true;
        }

        private Integer pageAt(List<Unit> units, int lastIndex, int offset) {
            Integer page = units.get(lastIndex).page();
            for (int i = lastIndex; i >= 0 && units.get(i).end() > offset; i--) {
                page = units.get(i).page();
            }
            return page;
        }

        /** A chunk of {@code [start, end)}, whose token count the caller has counted already. */
        private TextChunk chunk(int start, int end, List<Unit> units, Integer page, int tokens) {
            List<String> path = units.stream().filter(unit -> !unit.heading()).findFirst()
                    .orElse(units.getLast()).headingPath();
            return new TextChunk(text.substring(start, end), path, page, start, end, tokens);
        }

        /** Where the overlap taken from the end of {@code last} starts, or -1 for none. */
        private int overlapStart(Unit last) {
            if (properties.overlapTokens() == 0 || last.heading()) {
                return -1;
            }
            List<int[]> sentences = SentenceSplitter.split(text, last.start(), last.end());
            int[] sentence = sentences.getLast();
            if (tokens(sentence[0], sentence[1]) <= properties.overlapTokens()) {
                return sentence[0];
            }
            int cut = lastFitting(sentence[0], sentence[1], properties.overlapTokens());
            return cut < sentence[1] ? cut : -1;
        }

        private List<Unit> units(List<Block> blocks) {
            List<Unit> units = new ArrayList<>();
            int section = 0;
            for (Block block : blocks) {
                if (block.kind() == BlockKind.HEADING) {
                    section++;
                }
                int from = block.startOffset();
                int to = block.endOffset();
                if (block.kind() == BlockKind.HEADING || tokens(from, to) <= max) {
                    add(units, block, section, from, to, block.kind() == BlockKind.HEADING);
                } else if (block.kind() == BlockKind.TABLE || block.kind() == BlockKind.CODE) {
                    for (int[] line : lines(from, to)) {
                        splitProse(units, block, section, line[0], line[1]);
                    }
                } else {
                    splitProse(units, block, section, from, to);
                }
            }
            return units;
        }

        private void splitProse(List<Unit> units, Block block, int section, int from, int to) {
            if (tokens(from, to) <= max) {
                add(units, block, section, from, to, false);
                return;
            }
            for (int[] sentence : SentenceSplitter.split(text, from, to)) {
                // The word boundaries of the whole sentence, found once: a boundary depends only on the two
                // characters around it, so those after a piece's start are that piece's own.
                List<Integer> cuts = cuts(sentence[0], sentence[1], true);
                int next = 0;
                int s = sentence[0];
                while (s < sentence[1]) {
                    // The cuts passed over are those of the previous piece: as many are tried first for this one.
                    int previous = next;
                    while (next < cuts.size() && cuts.get(next) <= s) {
                        next++;
                    }
                    // Pieces after the first leave room for the overlap that their chunk will start with.
                    // A whole sentence is counted once, a rest never: that was quadratic in run-on text.
                    boolean whole = s == sentence[0];
                    int end = whole && tokens(s, sentence[1]) <= max ? sentence[1]
                            : firstFitting(s, sentence[1], whole ? max : max - properties.overlapTokens(), cuts, next,
                                    next - previous);
                    add(units, block, section, s, end, false);
                    s = end;
                    while (s < sentence[1] && Character.isWhitespace(text.charAt(s))) {
                        s++;
                    }
                }
            }
        }

        private void add(List<Unit> units, Block block, int section, int from, int to, boolean heading) {
            while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
                to--;
            }
            if (to > from) {
                units.add(new Unit(from, to, heading, section, block.headingPath(), block.page()));
            }
        }

        private List<int[]> lines(int from, int to) {
            List<int[]> lines = new ArrayList<>();
            int start = from;
            for (int i = from; i <= to; i++) {
                if (i == to || text.charAt(i) == '\n') {
                    if (i > start) {
                        lines.add(new int[] {start, i});
                    }
                    start = i + 1;
                }
            }
            return lines;
        }

        /**
         * The end of the longest prefix of {@code [from, to)} within {@code budget} tokens: {@code to}
         * itself, else the last of {@code cuts} from index {@code first} on that fits, else the last
         * character that fits (at least one). Searches by galloping from {@code from}, so that the text
         * tokenized is proportional to the prefix found rather than to the rest of the sentence: a long
         * run-on text (no sentence ends) is then cut in linear time, where counting the whole rest for every
         * piece was quadratic. {@code guess} is how many cuts to try first (the previous piece's), so that a
         * run of like pieces takes few probes.
         */
        private int firstFitting(int from, int to, int budget, List<Integer> cuts, int first, int guess) {
            // Candidates first..cuts.size(): the cuts after from, then to.
            int last = cuts.size();
            IntPredicate fits = i -> tokens(from, i < last ? cuts.get(i) : to) <= budget;
            int best = gallop(first - 1, last, guess, fits, IntUnaryOperator.identity(), IntUnaryOperator.identity());
            if (best >= first) {
                return best < last ? cuts.get(best) : to;
            }
            // The first word alone is longer than the budget: cut inside it, keeping surrogate pairs together.
            int end = from + Character.charCount(text.codePointAt(from));
            if (end >= to) {
                return end;
            }
            return gallop(end, to, 1, i -> tokens(from, i) <= budget,
                    i -> splitsPair(i) ? i + 1 : i, i -> splitsPair(i) ? i - 1 : i);
        }

        /** Whether a cut at {@code i} would part a surrogate pair. */
        private boolean splitsPair(int i) {
            return i > 0 && i < text.length() && Character.isHighSurrogate(text.charAt(i - 1))
                    && Character.isLowSurrogate(text.charAt(i));
        }

        /** The start of the shortest suffix of {@code [from, to)} that still has at most {@code budget} tokens. */
        private int lastFitting(int from, int to, int budget) {
            List<Integer> cuts = cuts(from, to, false);
            int lo = 0;
            int hi = cuts.size() - 1;
            int best = to;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (tokens(cuts.get(mid), to) <= budget) {
                    best = cuts.get(mid);
                    hi = mid - 1;
                } else {
                    lo = mid + 1;
                }
            }
            return best;
        }

        /**
         * Word boundaries inside {@code (from, to)}: ends of words when {@code ends}, starts of words
         * otherwise; between two CJK characters counts as a boundary.
         */
        private List<Integer> cuts(int from, int to, boolean ends) {
            List<Integer> cuts = new ArrayList<>();
            for (int i = from + 1; i < to; i++) {
                char before = text.charAt(i - 1);
                char at = text.charAt(i);
                boolean boundary = ends
                        ? !Character.isWhitespace(before) && Character.isWhitespace(at)
                        : Character.isWhitespace(before) && !Character.isWhitespace(at);
                boolean cjk = !Character.isWhitespace(before) && !Character.isWhitespace(at)
                        && (SentenceSplitter.isCjk(before) || SentenceSplitter.isCjk(at))
                        && !Character.isLowSurrogate(at);
                if (boundary || cjk) {
                    cuts.add(i);
                }
            }
            return cuts;
        }

        private int tokens(int from, int to) {
            return counter.count(text.substring(from, to));
        }
    }
}
