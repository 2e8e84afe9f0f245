package io.kb.ingest.chunk;

import java.util.List;

import io.kb.ingest.parse.ParsedDocument;

/**
 * Chunk stage of ingestion: cuts a parsed document into passages that fit the embedding model.
 * The default is {@link TokenBudgetChunker}, which follows the document's structure.
 */
public interface Chunker {

    /**
     * @param document a parsed document
     * @return its chunks in reading order, the same for the same document every time
     */
    List<TextChunk> chunk(ParsedDocument document);
}
