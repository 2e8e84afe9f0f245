package io.kb.retrieval.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kb.contracts.event.ChunkBatch;
import io.kb.retrieval.access.Caller;

/**
 * The chunk index of retrieval-service: it holds every chunk of every document, with its vector,
 * text, position and access list, and answers one kind of search at a time (dense or BM25) for one
 * caller. Fusing the two lists is a later stage, not the index's job.
 *
 * <p>Implementations: {@code LuceneChunkIndex}, the embedded default (HNSW vectors, BM25 and filters
 * in one Lucene index on local disk), and a Milvus adapter for a cluster. Every implementation passes
 * the same contract test suite.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>{@link #apply} replaces all chunks of a document in one step: a search sees either the old
 *       chunks or the new ones, never a mix and never none in between. A batch older than the
 *       version the index holds is ignored; the same version again changes nothing visible.</li>
 *   <li>The index holds vectors of one embedding model and dimension, recorded with the first
 *       batch; a batch of another model or dimension is refused, never mixed in.</li>
 *   <li>Every search takes a {@link Caller} and runs its {@link io.kb.retrieval.access.AccessFilter}
 *       inside the engine's query, together with the request's filters, so the top k come from the
 *       chunks the caller may read.</li>
 * </ul>
 * Implementations are safe for concurrent use: applies are serialized, searches run in parallel.
 */
public interface ChunkIndex extends AutoCloseable {

    /**
     * Replaces the chunks of the batch's document with the batch's chunks, or removes the document
     * for a {@code DELETE}, unless the batch is older than the version the index holds. The change is
     * durable and visible to the next search when this method returns.
     *
     * @param batch a valid batch, as decoded from {@code kb.chunks.v1}
     * @return what was done
     * @throws EmbeddingMismatchException when the batch's embedding model or dimension differs from the index's
     * @throws io.kb.contracts.ContractViolationException when a chunk cannot be indexed (such as a zero vector)
     * @throws java.io.UncheckedIOException when the index cannot be written
     */
    ApplyResult apply(ChunkBatch batch);

    /**
     * Applies the batches in order, as {@link #apply} would one after the other, and returns once all of them are
     * durable and visible. A later batch sees the effect of an earlier one: two versions of one document in the
     * list end with the newer one, whatever their order. Each batch stays atomic on its own; the list as a whole is
     * not (a search may see the first batches applied before the last ones).
     *
     * <p>This default calls {@link #apply} for each batch. An engine where a commit costs more than the writes
     * (Lucene: a file sync and a new searcher) overrides it to write every batch and commit once, which is what the
     * indexer gains by taking all records of a poll at once.
     *
     * @param batches valid batches, in the order they were consumed
     * @return one result per batch, in the same order
     * @throws PartialApplyException when a batch cannot be applied: the batches before it are applied and durable,
     *         that batch and the ones after it are not, and the cause is what {@link #apply} throws for it
     * @throws java.io.UncheckedIOException when the index cannot be written and it cannot say which batches are
     *         durable (an engine that commits once); applying the list again is safe
     */
    default List<ApplyResult> applyAll(List<ChunkBatch> batches) {
        List<ApplyResult> results = new ArrayList<>(batches.size());
        for (ChunkBatch batch : batches) {
            try {
                results.add(apply(batch));
            } catch (RuntimeException e) {
                throw new PartialApplyException(results.size(), results, e);
            }
        }
        return results;
    }

    /**
     * The best {@code request.k()} chunks for the request among those the caller may read and the
     * request's filters admit, best first. Fewer come back only when fewer chunks qualify.
     *
     * @param caller who is searching; decides which chunks may be returned
     * @param request the mode, the query and the filters
     * @return at most {@code request.k()} hits, best first
     * @throws EmbeddingMismatchException when a dense query vector's dimension differs from the index's
     */
    List<ChunkHit> search(Caller caller, SearchRequest request);

    /**
     * The version of the last batch applied to a document, an upsert or a delete: a removed document
     * keeps the version of its removal, so that an older batch arriving late cannot bring it back.
     *
     * @param tenant the document's tenant
     * @param documentId the document's id
     * @return the version, or empty when no batch for the document was applied
     */
    Optional<Long> storedVersion(String tenant, String documentId);

    /** Counts, model and size of the index, for health and metrics. */
    IndexStats stats();

    /** Releases the index; later calls fail with {@link IllegalStateException}. */
    @Override
    void close();
}
