package io.kb.inference.context;

import io.kb.inference.retrieve.RetrievedChunk;
import java.util.List;

/**
 * Stage 3 of the pipeline: turns retrieved chunks into the numbered sources of one answer: duplicates removed,
 * best first, within a token budget.
 */
public interface ContextAssembler {

    /**
     * @param chunks      retrieved chunks, best first
     * @param tokenBudget the most tokens the sources' texts may take together
     * @return the sources, numbered from 1
     */
    List<Source> assemble(List<RetrievedChunk> chunks, int tokenBudget);
}
