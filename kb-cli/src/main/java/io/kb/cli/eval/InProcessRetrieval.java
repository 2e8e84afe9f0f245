package io.kb.cli.eval;

import java.net.URI;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.kb.contracts.Principal;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.Operation;
import io.kb.embedding.model.BundledOnnxModel;
import io.kb.embedding.model.OnnxEmbeddingModel;
import io.kb.embedding.model.OnnxOptions;
import io.kb.ingest.chunk.ChunkProperties;
import io.kb.ingest.chunk.TextChunk;
import io.kb.ingest.chunk.TokenBudgetChunker;
import io.kb.ingest.parse.Block;
import io.kb.ingest.parse.BlockKind;
import io.kb.ingest.parse.ParsedDocument;
import io.kb.retrieval.access.Caller;
import io.kb.retrieval.fusion.FusionMethod;
import io.kb.retrieval.index.ChunkHit;
import io.kb.retrieval.index.IndexStats;
import io.kb.retrieval.index.SearchFilter;
import io.kb.retrieval.index.lucene.LuceneChunkIndex;
import io.kb.retrieval.search.HybridSearch;
import io.kb.retrieval.search.QueryEmbedder;
import io.kb.retrieval.search.SearchProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The platform's ingest and search path in one process, without Kafka and HTTP: ingest-service's
 * {@link TokenBudgetChunker}, embedding-service's {@link OnnxEmbeddingModel}, and retrieval-service's
 * {@link LuceneChunkIndex} and {@link HybridSearch} with the fuser its settings name ({@link FusionMethod}), all as
 * the services build them, on an index in a local folder. One fixed tenant, {@value #TENANT}, whose documents are all
 * {@code public}.
 *
 * <p>What stands in for the services' edges: a BEIR document becomes the {@link ParsedDocument} that a Markdown
 * upload of {@code "# title\n\ntext"} parses to (the title a level-1 heading, each paragraph a block), since a
 * BEIR corpus is already clean text; the chunks' vectors come from the model directly, as embedding-service's
 * batch endpoint computes them; a query is embedded by the same model, after the model's query instruction, as
 * retrieval-service's search has embedding-service do it.
 */
final class InProcessRetrieval implements AutoCloseable {

    /** The tenant of every evaluated document and of the caller. */
    static final String TENANT = "eval";

    private static final Caller CALLER = new Caller(TENANT, List.of(Principal.PUBLIC));
    private static final long VERSION = 1;
    private static final String MEDIA_TYPE = "text/markdown";
    private static final int TITLE_MAX_CODE_POINTS = 1000;
    private static final Pattern PARAGRAPH_BREAK = Pattern.compile("\\n\\s*\\n");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final OnnxEmbeddingModel model;
    private final TokenBudgetChunker chunker;
    private final LuceneChunkIndex index;
    private final HybridSearch search;
    private final EmbeddingInfo embedding;

    private InProcessRetrieval(OnnxEmbeddingModel model, TokenBudgetChunker chunker, LuceneChunkIndex index,
            SearchProperties settings) {
        this.model = model;
        this.chunker = chunker;
        this.index = index;
        this.embedding = new EmbeddingInfo(model.name(), model.dimension());
        QueryEmbedder embedder = (knowledgeBase, query) ->
                new QueryEmbedder.QueryVector(model.name(), model.embed(List.of(query)).getFirst());
        this.search = new HybridSearch(index, embedder, settings.fusion().fuser(settings.rrfK()), settings,
                new SimpleMeterRegistry());
    }

    /**
     * Loads the model and the chunker's tokenizer, and opens (or creates) the index.
     *
     * @param indexFolder the Lucene index's folder
     * @param modelChoice the embedding model
     * @param chunking the chunker's budget and overlap; its model must be {@code modelChoice}'s
     * @param settings the search settings (candidates, RRF constant and weights)
     */
    static InProcessRetrieval open(Path indexFolder, BundledOnnxModel modelChoice, ChunkProperties chunking,
            SearchProperties settings) {
        OnnxEmbeddingModel model = OnnxEmbeddingModel.load(modelChoice, OnnxOptions.DEFAULTS);
        try {
            TokenBudgetChunker chunker = TokenBudgetChunker.withHuggingFaceTokenizers(chunking);
            return new InProcessRetrieval(model, chunker, new LuceneChunkIndex(indexFolder), settings);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Settings for {@link HybridSearch} outside the service: its defaults, with another fusion, depth or query
     * instruction where asked. Every argument but {@code model} may be null, which keeps the service's default.
     *
     * @param fusion how the two lists are fused
     * @param candidates hits taken from each retriever before fusion
     * @param model the embedding model, whose query instruction {@code queryInstruction} replaces
     * @param queryInstruction the text put before each query for dense retrieval
     */
    static SearchProperties searchSettings(FusionMethod fusion, Integer candidates, Integer rrfK, Double denseWeight,
            Double bm25Weight, String model, String queryInstruction) {
        // The URL is never called: queries are embedded in this process.
        SearchProperties defaults = SearchProperties.defaults(URI.create("in-process:onnx"));
        Map<String, String> instructions = new HashMap<>(defaults.queryInstructions());
        if (queryInstruction != null) {
            instructions.put(model, queryInstruction);
        }
        return new SearchProperties(defaults.embeddingUrl(), defaults.embeddingTimeout(),
                candidates != null ? candidates : defaults.candidates(),
                fusion != null ? fusion : defaults.fusion(),
                rrfK != null ? rrfK : defaults.rrfK(),
                denseWeight != null ? denseWeight : defaults.denseWeight(),
                bm25Weight != null ? bm25Weight : defaults.bm25Weight(),
                defaults.maxTopK(), instructions);
    }

    /** Whether the index already holds the document (an earlier run in the same work folder indexed it). */
    boolean holds(String documentId) {
        return index.storedVersion(TENANT, documentId).isPresent();
    }

    /**
     * Chunks and embeds documents; what comes back is ready for {@link #apply}. A document with neither title
     * nor text has no chunks and is left out.
     */
    List<ChunkBatch> prepare(List<BeirDataset.Document> documents) {
        List<ParsedDocument> parsed = new ArrayList<>(documents.size());
        List<List<TextChunk>> chunked = new ArrayList<>(documents.size());
        List<String> texts = new ArrayList<>();
        for (BeirDataset.Document document : documents) {
            ParsedDocument p = parsed(document);
            List<TextChunk> chunks = p == null ? List.of() : chunker.chunk(p);
            parsed.add(p);
            chunked.add(chunks);
            chunks.forEach(c -> texts.add(c.text()));
        }
        List<float[]> vectors = model.embed(texts);
        List<ChunkBatch> batches = new ArrayList<>(documents.size());
        int next = 0;
        for (int d = 0; d < documents.size(); d++) {
            List<TextChunk> chunks = chunked.get(d);
            if (chunks.isEmpty()) {
                continue;
            }
            String id = documents.get(d).id();
            List<Chunk> out = new ArrayList<>(chunks.size());
            for (int i = 0; i < chunks.size(); i++) {
                TextChunk c = chunks.get(i);
                out.add(new Chunk(ChunkIds.of(TENANT, id, VERSION, i), i, c.text(), vectors.get(next++),
                        c.headingPath(), c.page(), c.startOffset(), c.endOffset()));
            }
            batches.add(new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, TENANT, id, VERSION,
                    shorten(parsed.get(d).title()), null, MEDIA_TYPE, List.of(Principal.PUBLIC), Map.of(), embedding,
                    out));
        }
        return batches;
    }

    /** Writes one document's chunks to the index, as retrieval-service's indexer does for a chunk batch. */
    void apply(ChunkBatch batch) {
        index.apply(batch);
    }

    /**
     * Searches as retrieval-service does for a request grouped by document.
     *
     * @return the ids of the best {@code topK} documents, best first, each at the rank of its best chunk
     */
    List<String> search(String query, HybridSearch.Mode mode, int topK) {
        HybridSearch.Result result = search.search(CALLER,
                new HybridSearch.Query(query, topK, mode, SearchFilter.NONE, true));
        return result.hits().stream().map(ChunkHit::documentId).toList();
    }

    /** How many hits each retriever contributes to the fusion of a {@link #search} for {@code topK} documents. */
    int candidates(int topK) {
        return search.candidates(new HybridSearch.Query("", topK, HybridSearch.Mode.HYBRID, SearchFilter.NONE, true));
    }

    /** Documents, chunks and the model the index holds. */
    IndexStats stats() {
        return index.stats();
    }

    /** The model's name. */
    String modelName() {
        return model.name();
    }

    @Override
    public void close() {
        try {
            index.close();
        } finally {
            model.close();
        }
    }

    /**
     * A BEIR document as parsed Markdown: its title as a level-1 heading, its text's paragraphs (split at blank
     * lines, white space runs folded, Unicode NFC) under it, joined by blank lines as the parser joins blocks.
     *
     * @return null when the document has neither title nor text
     */
    static ParsedDocument parsed(BeirDataset.Document document) {
        String title = clean(document.title());
        List<String> headingPath = title.isEmpty() ? List.of() : List.of(title);
        StringBuilder text = new StringBuilder();
        List<Block> blocks = new ArrayList<>();
        if (!title.isEmpty()) {
            text.append(title);
            blocks.add(new Block(BlockKind.HEADING, 1, title, null, headingPath, 0, title.length()));
        }
        for (String raw : PARAGRAPH_BREAK.split(document.text())) {
            String paragraph = clean(raw);
            if (paragraph.isEmpty()) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append("\n\n");
            }
            int start = text.length();
            text.append(paragraph);
            blocks.add(new Block(BlockKind.PARAGRAPH, 0, paragraph, null, headingPath, start, text.length()));
        }
        if (blocks.isEmpty()) {
            return null;
        }
        return new ParsedDocument(title.isEmpty() ? null : title, MEDIA_TYPE, null, text.toString(), blocks, 0,
                Map.of());
    }

    private static String clean(String raw) {
        return WHITE_SPACE.matcher(Normalizer.normalize(raw, Normalizer.Form.NFC)).replaceAll(" ").strip();
    }

    private static String shorten(String title) {
        if (title == null || title.codePointCount(0, title.length()) <= TITLE_MAX_CODE_POINTS) {
            return title;
        }
        return title.substring(0, title.offsetByCodePoints(0, TITLE_MAX_CODE_POINTS - 1)) + "…";
    }
}
