package io.kb.contracts;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The media types that ingestion can parse, as a {@code mediaType} of a document event names them.
 *
 * <p>Parameters such as {@code ; charset=utf-8} may follow the type and are ignored here (the parser
 * reads them). Types are matched as written, in lower case, exactly as the JSON Schemas match them.
 * {@link #OCTET_STREAM} means "unknown: detect from the content"; so does an absent {@code mediaType}.
 */
public enum SupportedMediaTypes {

    /** Plain text. */
    TEXT_PLAIN("text/plain"),
    /** Markdown; headings become the chunks' heading paths. */
    TEXT_MARKDOWN("text/markdown"),
    /** HTML; markup is removed, headings become the chunks' heading paths. */
    TEXT_HTML("text/html"),
    /** PDF; chunks carry page numbers. */
    PDF("application/pdf"),
    /** Word (docx). */
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    /** PowerPoint (pptx); one page per slide. */
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    /** Excel (xlsx). */
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    /** An e-mail message. */
    EMAIL("message/rfc822"),
    /** Unknown bytes: the type is detected from the content. */
    OCTET_STREAM("application/octet-stream");

    /** The same expression as the {@code mediaType} pattern of the JSON Schemas. */
    public static final String REGEX = "^(?:"
            + Arrays.stream(values()).map(type -> type.value.replace(".", "\\.")).collect(Collectors.joining("|"))
            + ")[ \\t]*(?:;[^\\u0000-\\u001F\\u007F]*)?$";

    /** The longest {@code mediaType} accepted, parameters included. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private final String value;

    SupportedMediaTypes(String value) {
        this.value = value;
    }

    /** The media type without parameters, such as {@code application/pdf}. */
    public String value() {
        return value;
    }

    /**
     * The supported type that {@code mediaType} names, ignoring its parameters.
     *
     * @param mediaType such as {@code text/plain; charset=utf-8}
     * @return the type, or empty when {@code mediaType} is null, malformed or not supported
     */
    public static Optional<SupportedMediaTypes> find(String mediaType) {
        if (mediaType == null || mediaType.length() > MAX_LENGTH || !PATTERN.matcher(mediaType).matches()) {
            return Optional.empty();
        }
        int semicolon = mediaType.indexOf(';');
        String base = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).stripTrailing();
        for (SupportedMediaTypes type : values()) {
            if (type.value.equals(base)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find(String)}, but a type that is not supported is a violation.
     *
     * @param mediaType such as {@code text/plain; charset=utf-8}
     * @return the type
     * @throws ContractViolationException naming {@code mediaType}, with the supported types in the message
     */
    public static SupportedMediaTypes of(String mediaType) {
        return find(mediaType).orElseThrow(() -> new ContractViolationException("mediaType",
                "is not supported; use one of " + listing()
                        + " (parameters such as '; charset=utf-8' may follow)"));
    }

    /** The supported types, comma-separated, for messages. */
    public static String listing() {
        return Arrays.stream(values()).map(SupportedMediaTypes::value).collect(Collectors.joining(", "));
    }
}
