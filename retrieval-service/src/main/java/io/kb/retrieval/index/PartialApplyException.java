package io.kb.retrieval.index;

import java.util.List;

/**
 * {@link ChunkIndex#applyAll} stopped at a batch it could not apply. The batches before it are applied and durable,
 * with the results in {@link #applied()}; the failed batch changed nothing, and the batches after it were not
 * tried. The cause is what {@link ChunkIndex#apply} would have thrown for the failed batch, so a caller can treat
 * it exactly as it treats a failure of a single apply.
 */
public final class PartialApplyException extends RuntimeException {

    private final int failedIndex;
    private final transient List<ApplyResult> applied;

    /**
     * @param failedIndex the position of the failed batch in the list given to {@code applyAll}
     * @param applied     the results of the batches before it, in order ({@code failedIndex} of them)
     * @param cause       why the batch could not be applied
     */
    public PartialApplyException(int failedIndex, List<ApplyResult> applied, RuntimeException cause) {
        super("batch " + failedIndex + " could not be applied: " + cause.getMessage(), cause);
        if (applied.size() != failedIndex) {
            throw new IllegalArgumentException("the batches before index " + failedIndex + " have "
                    + applied.size() + " results");
        }
        this.failedIndex = failedIndex;
        this.applied = List.copyOf(applied);
    }

    /** The position of the batch that failed; the batches before it are applied. */
    public int failedIndex() {
        return failedIndex;
    }

    /** The results of the batches before the failed one, in order. */
    public List<ApplyResult> applied() {
        return applied;
    }

    /** Why the batch failed, as a single apply would have thrown it. */
    @Override
    public synchronized RuntimeException getCause() {
        return (RuntimeException) super.getCause();
    }
}
