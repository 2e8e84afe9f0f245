package io.kb.contracts.event;

/**
 * The stage names that {@link IngestStatus#stage()} and the {@code kb-error-stage} dead-letter header
 * use, so that every service spells them alike. The field is a string, not an enum, so that a new
 * stage does not break older readers.
 */
public final class IngestStages {

    /** Reading and checking the event's bytes. */
    public static final String DECODE = "decode";

    /** Fetching referenced content. */
    public static final String FETCH = "fetch";

    /** Extracting text and structure from the content. */
    public static final String PARSE = "parse";

    /** Splitting the text into chunks. */
    public static final String CHUNK = "chunk";

    /** Computing the chunks' vectors. */
    public static final String EMBED = "embed";

    /** Publishing the chunk batch. */
    public static final String PUBLISH = "publish";

    /** Writing the chunks to the index. */
    public static final String INDEX = "index";

    private IngestStages() {
    }
}
