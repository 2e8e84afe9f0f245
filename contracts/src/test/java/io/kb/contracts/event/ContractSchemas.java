package io.kb.contracts.event;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The contract's JSON Schemas as a producer in another language would use them: loaded from the
 * published resources and checked with an independent Draft 2020-12 validator, with format
 * assertions on.
 */
final class ContractSchemas {

    /** The schema names, as in {@code <name>.v1.schema.json} and {@code examples/<name>/}. */
    static final List<String> NAMES = List.of("document-event", "chunk-batch", "ingest-status");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private ContractSchemas() {
    }

    /** The text of {@code <name>.v1.schema.json} as shipped in the jar. */
    static String text(String name) {
        String resource = "/io/kb/contracts/schema/" + name + ".v1.schema.json";
        try (InputStream in = ContractSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schema's complaints about {@code json}, each as the field it points at, written the way
     * {@link io.kb.contracts.ContractViolationException#field()} writes fields ({@code chunks[0].page};
     * {@code $} for the whole document), followed by the validator's message. A document that is not
     * JSON at all yields one complaint at {@code $}.
     */
    static List<Complaint> errors(String name, String json) {
        Schema schema = SCHEMAS.computeIfAbsent(name, n -> REGISTRY.getSchema(text(n), InputFormat.JSON));
        try {
            return schema.validate(json, InputFormat.JSON).stream().map(ContractSchemas::complaint).toList();
        } catch (RuntimeException notJson) {
            return List.of(new Complaint("$", "not JSON: " + notJson.getMessage()));
        }
    }

    /** One schema error: the field it points at and what the validator said. */
    record Complaint(String field, String message) {

        /** Whether this complaint is about {@code other}, about a part of it, or about what holds it. */
        boolean concerns(String other) {
            if (field.equals("$") || other.equals("$")) {
                return field.equals(other);
            }
            return field.equals(other) || within(field, other) || within(other, field);
        }

        private static boolean within(String inner, String outer) {
            return inner.startsWith(outer) && (inner.charAt(outer.length()) == '.' || inner.charAt(outer.length()) == '[');
        }
    }

    private static Complaint complaint(Error error) {
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < error.getInstanceLocation().getNameCount(); i++) {
            Object element = error.getInstanceLocation().getElement(i);
            if (element instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                field.append(field.isEmpty() ? "" : ".").append(element);
            }
        }
        // "required" and "additionalProperties" report at the object; the property is the field.
        if (error.getProperty() != null && !"propertyNames".equals(error.getKeyword())) {
            field.append(field.isEmpty() ? "" : ".").append(error.getProperty());
        }
        return new Complaint(field.isEmpty() ? "$" : field.toString(), error.toString());
    }

    /** The Draft 2020-12 meta-schema's complaints about the schema {@code name}. */
    static List<String> metaSchemaErrors(String name) {
        Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
        return metaSchema.validate(text(name), InputFormat.JSON).stream().map(Error::toString).toList();
    }
}
