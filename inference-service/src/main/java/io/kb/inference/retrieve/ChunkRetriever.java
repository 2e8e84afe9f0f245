package io.kb.inference.retrieve;

import io.kb.inference.pipeline.Asker;

/**
 * Stage 2 of the pipeline: finds the chunks the asker may read that best match the query. The adapter calls
 * retrieval-service with the asker's own token, so the access filter runs inside the index query there.
 */
public interface ChunkRetriever {

    /**
     * @param query the standalone query
     * @param asker who asks, with the token to relay
     * @param topK  how many chunks at most
     * @return the chunks, best first
     * @throws RetrievalUnavailableException when retrieval-service cannot answer
     */
    Retrieval retrieve(String query, Asker asker, int topK);
}
