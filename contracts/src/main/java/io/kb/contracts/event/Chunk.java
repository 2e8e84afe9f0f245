package io.kb.contracts.event;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import io.kb.contracts.FieldRules;

/**
 * One passage of a document, with its embedding, as the index stores it.
 *
 * <p>The vector is copied on the way in and on the way out, so a chunk cannot change after it was
 * checked; {@link #equals}, {@link #hashCode} and {@link #toString} use the vector's content.
 *
 * @param id the chunk's id, {@link ChunkIds#of} over tenant, document id, version and ordinal
 *        (32 lower-case hex characters)
 * @param ordinal the chunk's position in the document, from 0
 * @param text the passage, not blank
 * @param vector the embedding of the passage, finite numbers, as long as the batch's embedding dimension
 * @param headingPath the headings above the passage, outermost first; may be empty
 * @param page the page the passage starts on, from 1, for paged formats (PDF, slides); optional
 * @param startOffset where the passage starts in the parsed document text, in characters, from 0
 * @param endOffset where the passage ends (exclusive) in the parsed document text; not before {@code startOffset}
 */
public record Chunk(
        String id,
        @JsonSetter(nulls = Nulls.FAIL) int ordinal,
        String text,
        float[] vector,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> headingPath,
        Integer page,
        @JsonSetter(nulls = Nulls.FAIL) int startOffset,
        @JsonSetter(nulls = Nulls.FAIL) int endOffset) {

    /** The same expression as the {@code id} pattern of the JSON Schema. */
    public static final String ID_REGEX = "^[0-9a-f]{32}$";

    private static final Pattern ID = Pattern.compile(ID_REGEX);

    /** Checks every component; the vector and the heading path are copied. */
    public Chunk {
        FieldRules.requirePresent("id", id);
        if (!ID.matcher(id).matches()) {
            throw new ContractViolationException("id", "must be 32 lower-case hex characters (see ChunkIds)");
        }
        if (ordinal < 0) {
            throw new ContractViolationException("ordinal", "must be zero or greater, was " + ordinal);
        }
        FieldRules.requireNotBlank("text", text);
        FieldRules.requirePresent("vector", vector);
        if (vector.length == 0 || vector.length > EmbeddingInfo.MAX_DIMENSION) {
            throw new ContractViolationException("vector",
                    "must have 1 to " + EmbeddingInfo.MAX_DIMENSION + " numbers, had " + vector.length);
        }
        vector = vector.clone();
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new ContractViolationException("vector[" + i + "]", "must be a finite 32-bit float");
            }
        }
        if (headingPath == null) {
            headingPath = List.of();
        } else {
            for (int i = 0; i < headingPath.size(); i++) {
                FieldRules.requirePresent("headingPath[" + i + "]", headingPath.get(i));
            }
            headingPath = List.copyOf(headingPath);
        }
        if (page != null && page < 1) {
            throw new ContractViolationException("page", "must be 1 or greater, was " + page);
        }
        if (startOffset < 0) {
            throw new ContractViolationException("startOffset", "must be zero or greater, was " + startOffset);
        }
        if (endOffset < startOffset) {
            throw new ContractViolationException("endOffset",
                    "must not be before startOffset (" + startOffset + "), was " + endOffset);
        }
    }

    /** A copy of the embedding. */
    @Override
    public float[] vector() {
        return vector.clone();
    }

    /** The number of dimensions of the embedding, without copying it. */
    public int dimension() {
        return vector.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Chunk that
                && ordinal == that.ordinal
                && startOffset == that.startOffset
                && endOffset == that.endOffset
                && id.equals(that.id)
                && text.equals(that.text)
                && Arrays.equals(vector, that.vector)
                && headingPath.equals(that.headingPath)
                && Objects.equals(page, that.page);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ordinal, text, Arrays.hashCode(vector), headingPath, page, startOffset, endOffset);
    }

    /** Shows the start of the text and the vector's length, not its numbers. */
    @Override
    public String toString() {
        String preview = text.length() <= 40 ? text : text.substring(0, 40) + "…";
        return "Chunk[id=" + id + ", ordinal=" + ordinal + ", text=" + preview + " (" + text.length() + " chars)"
                + ", vector=float[" + vector.length + "], headingPath=" + headingPath + ", page=" + page
                + ", startOffset=" + startOffset + ", endOffset=" + endOffset + "]";
    }
}
