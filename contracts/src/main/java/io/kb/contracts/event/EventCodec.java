package io.kb.contracts.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.Nulls;
import io.kb.contracts.ContractViolationException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The one place where the contract's values become bytes and bytes become validated values.
 *
 * <p>Reading is as strict as the JSON Schemas: unknown properties, duplicate properties, numbers
 * given as strings (or the reverse), fractions where integers belong, enum values given as numbers,
 * instants that are not ISO-8601 strings with an offset, and trailing data are all rejected. Every
 * failure comes out as a {@link ContractViolationException} whose {@code field()} names the part that
 * was wrong ({@code $} for malformed JSON); a violation raised inside a record's constructor keeps its
 * message and gets the path of the record in front ({@code chunks[3].page}). An explicit {@code null}
 * is read as an absent field.
 *
 * <p>Writing leaves out absent fields and empty collections. An instance is immutable and
 * thread-safe; one per service is enough.
 */
public final class EventCodec {

    /** The same expression as the date-time pattern of the JSON Schemas: RFC 3339 with an offset. */
    public static final String INSTANT_REGEX =
            "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?(?:Z|[+-][0-9]{2}:[0-9]{2})$";

    private static final int MAX_ECHOED_CHARS = 200;

    private final ObjectWriter writer;
    private final ObjectReader documentEvents;
    private final ObjectReader chunkBatches;
    private final ObjectReader ingestStatuses;

    /** A codec with the contract's settings. */
    public EventCodec() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                        DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                // Strings are strings: no silent 5 -> "5" that the schema would reject.
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                // A null inside a list or map is an error with its own path (acl[1]), not a value.
                .changeDefaultNullHandling(nulls -> nulls.withContentNulls(Nulls.FAIL))
                .addModule(new SimpleModule("kb-contracts").addDeserializer(Instant.class, new StrictInstantDeserializer()))
                .build();
        this.writer = mapper.writer();
        this.documentEvents = mapper.readerFor(DocumentEvent.class);
        this.chunkBatches = mapper.readerFor(ChunkBatch.class);
        this.ingestStatuses = mapper.readerFor(IngestStatus.class);
    }

    /**
     * @param event a document event, chunk batch or ingest status
     * @return the UTF-8 JSON of the event
     */
    public byte[] write(ContractEvent event) {
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        try {
            return writer.writeValueAsBytes(event);
        } catch (JacksonException e) {
            throw new IllegalStateException("could not write " + event.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param json a value of {@link io.kb.contracts.Topics#DOCUMENTS}
     * @return the validated event
     * @throws ContractViolationException naming the offending field
     */
    public DocumentEvent readDocumentEvent(byte[] json) {
        return read(documentEvents, json);
    }

    /**
     * @param json a value of {@link io.kb.contracts.Topics#CHUNKS}
     * @return the validated batch
     * @throws ContractViolationException naming the offending field
     */
    public ChunkBatch readChunkBatch(byte[] json) {
        return read(chunkBatches, json);
    }

    /**
     * @param json a value of {@link io.kb.contracts.Topics#INGEST_STATUS}
     * @return the validated status
     * @throws ContractViolationException naming the offending field
     */
    public IngestStatus readIngestStatus(byte[] json) {
        return read(ingestStatuses, json);
    }

    private static <T> T read(ObjectReader reader, byte[] json) {
        if (json == null || json.length == 0) {
            throw new ContractViolationException("$", "is empty; expected a JSON object");
        }
        T value;
        try {
            value = reader.readValue(json);
        } catch (JacksonException e) {
            throw violationOf(e);
        }
        if (value == null) {
            throw new ContractViolationException("$", "must be a JSON object, not null");
        }
        return value;
    }

    private static ContractViolationException violationOf(JacksonException e) {
        String path = pathOf(e.getPath());
        ContractViolationException fromConstructor = constructorViolation(e);
        if (fromConstructor != null) {
            return fromConstructor.within(path);
        }
        String field = path.isEmpty() ? "$" : path;
        if (e instanceof InputCoercionException) {
            return new ContractViolationException(field, "is out of range for " + typeName(e), e);
        }
        if (e instanceof StreamReadException) {
            // Malformed JSON (or a duplicate property) makes the whole document unreadable.
            return new ContractViolationException("$", "is not well-formed JSON" + where(e.getLocation()) + ": "
                    + printable(e.getOriginalMessage()), e);
        }
        if (e instanceof UnrecognizedPropertyException) {
            return new ContractViolationException(field, "is not a known property", e);
        }
        if (e instanceof InvalidNullException) {
            boolean element = !e.getPath().isEmpty() && e.getPath().getLast().getIndex() >= 0;
            return new ContractViolationException(field, element ? "must not be null" : "is required", e);
        }
        if (e instanceof MismatchedInputException mismatch) {
            return new ContractViolationException(field, expectation(mismatch.getTargetType(), e.getPath()), e);
        }
        return new ContractViolationException(field, "could not be read: " + printable(e.getOriginalMessage()), e);
    }

    private static ContractViolationException constructorViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ContractViolationException violation) {
                return violation;
            }
        }
        return null;
    }

    /** The Jackson path as the contract writes fields: {@code chunks[3].vector}. */
    private static String pathOf(List<JacksonException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : references) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(printable(reference.getPropertyName()));
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String expectation(Class<?> type, List<JacksonException.Reference> path) {
        if (type == null) {
            return "has the wrong type";
        }
        boolean element = !path.isEmpty() && path.getLast().getIndex() >= 0;
        if (type.isArray() && element) {
            return expectation(type.getComponentType(), List.of());
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be an integer";
        }
        if (type == float.class || type == Float.class || type == double.class || type == Double.class) {
            return "must be a number";
        }
        if (type == Instant.class) {
            return "must be an ISO-8601 instant with an offset, such as 2025-05-01T12:00:00Z";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "must be an object";
        }
        return "has the wrong type";
    }

    private static String typeName(JacksonException e) {
        return e instanceof InputCoercionException coercion && coercion.getTargetType() != null
                ? coercion.getTargetType().getSimpleName() : "its type";
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /**
     * Input-derived text made safe for logs and headers: no control or line-separator characters
     * (which could forge log lines), and at most {@value #MAX_ECHOED_CHARS} characters.
     */
    private static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder safe = new StringBuilder();
        text.codePoints().limit(MAX_ECHOED_CHARS).forEach(c -> safe.appendCodePoint(
                Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c));
        return safe.toString();
    }

    /** Reads instants only from ISO-8601 strings with an offset, the form the schemas allow. */
    private static final class StrictInstantDeserializer extends StdScalarDeserializer<Instant> {

        private static final Pattern INSTANT = Pattern.compile(INSTANT_REGEX);

        StrictInstantDeserializer() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            if (!parser.hasToken(JsonToken.VALUE_STRING)) {
                return (Instant) context.handleUnexpectedToken(Instant.class, parser);
            }
            String text = parser.getString();
            if (INSTANT.matcher(text).matches()) {
                try {
                    return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
                } catch (DateTimeParseException e) {
                    // Well-formed but not a date, such as February 30th: reported below.
                }
            }
            throw InvalidFormatException.from(parser, "not an ISO-8601 instant with an offset", text, Instant.class);
        }
    }
}
