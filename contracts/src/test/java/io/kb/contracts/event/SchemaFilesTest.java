package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;
import io.kb.contracts.SupportedMediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The schema files themselves: well-formed, identified, closed, and in step with the Java rules. */
class SchemaFilesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static List<String> schemas() {
        return ContractSchemas.NAMES;
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void isValidAgainstTheDraft202012MetaSchema(String schema) {
        assertThat(ContractSchemas.metaSchemaErrors(schema)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void declaresDraft202012AndAStableUrnId(String schema) {
        JsonNode root = tree(schema);
        assertThat(root.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(root.path("$id").asString()).isEqualTo("urn:kb:schema:" + schema + ":v1");
        assertThat(root.path("description").asString()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void closesEveryObjectWithProperties(String schema) {
        List<String> open = new ArrayList<>();
        collectOpenObjects(tree(schema), "", open);
        assertThat(open).as("object schemas with properties but without additionalProperties: false").isEmpty();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void describesEveryProperty(String schema) {
        List<String> undescribed = new ArrayList<>();
        JsonNode root = tree(schema);
        collectUndescribedProperties(root, root, "", undescribed);
        assertThat(undescribed).isEmpty();
    }

    @Test
    void chunkBatchSchemaSaysWhichRulesOnlyJavaChecks() {
        String comment = tree("chunk-batch").path("$comment").asString();
        assertThat(comment).contains("ordinal", "embedding.dimension", "SHA-256", "startOffset");
    }

    @Test
    void schemaPatternsAreTheJavaPatterns() {
        Map<String, String> documentEvent = Map.of(
                "/$defs/tenant/pattern", FieldRules.TENANT_REGEX,
                "/$defs/documentId/pattern", FieldRules.DOCUMENT_ID_REGEX,
                "/$defs/principal/pattern", Principal.REGEX,
                "/$defs/mediaType/pattern", SupportedMediaTypes.REGEX,
                "/$defs/metadata/propertyNames/pattern", FieldRules.METADATA_KEY_REGEX,
                "/$defs/content/properties/reference/pattern", Content.REFERENCE_REGEX,
                "/$defs/occurredAt/pattern", EventCodec.INSTANT_REGEX);
        Map<String, String> chunkBatch = Map.of(
                "/$defs/tenant/pattern", FieldRules.TENANT_REGEX,
                "/$defs/documentId/pattern", FieldRules.DOCUMENT_ID_REGEX,
                "/$defs/principal/pattern", Principal.REGEX,
                "/$defs/mediaType/pattern", SupportedMediaTypes.REGEX,
                "/$defs/metadata/propertyNames/pattern", FieldRules.METADATA_KEY_REGEX,
                "/$defs/chunk/properties/id/pattern", Chunk.ID_REGEX,
                "/$defs/chunk/properties/text/pattern", FieldRules.NON_BLANK_REGEX,
                "/$defs/embedding/properties/model/pattern", FieldRules.NON_BLANK_REGEX);
        Map<String, String> ingestStatus = Map.of(
                "/$defs/tenant/pattern", FieldRules.TENANT_REGEX,
                "/$defs/documentId/pattern", FieldRules.DOCUMENT_ID_REGEX,
                "/properties/stage/pattern", IngestStatus.STAGE_REGEX,
                "/properties/reason/pattern", FieldRules.NON_BLANK_REGEX,
                "/properties/occurredAt/pattern", EventCodec.INSTANT_REGEX);
        assertPatterns("document-event", documentEvent);
        assertPatterns("chunk-batch", chunkBatch);
        assertPatterns("ingest-status", ingestStatus);
    }

    @Test
    void schemaLimitsAreTheJavaLimits() {
        JsonNode documentEvent = tree("document-event");
        assertThat(documentEvent.at("/$defs/documentId/maxLength").asInt()).isEqualTo(FieldRules.DOCUMENT_ID_MAX_LENGTH);
        assertThat(documentEvent.at("/$defs/acl/maxItems").asInt()).isEqualTo(FieldRules.ACL_MAX_ENTRIES);
        assertThat(documentEvent.at("/$defs/metadata/maxProperties").asInt()).isEqualTo(FieldRules.METADATA_MAX_ENTRIES);
        assertThat(documentEvent.at("/$defs/metadata/additionalProperties/maxLength").asInt())
                .isEqualTo(FieldRules.METADATA_VALUE_MAX_LENGTH);
        assertThat(documentEvent.at("/$defs/title/maxLength").asInt()).isEqualTo(DocumentEvent.TITLE_MAX_LENGTH);
        assertThat(documentEvent.at("/$defs/source/maxLength").asInt()).isEqualTo(DocumentEvent.SOURCE_MAX_LENGTH);
        assertThat(documentEvent.at("/$defs/mediaType/maxLength").asInt()).isEqualTo(SupportedMediaTypes.MAX_LENGTH);
        assertThat(documentEvent.at("/$defs/content/properties/reference/maxLength").asInt())
                .isEqualTo(Content.REFERENCE_MAX_LENGTH);
        JsonNode chunkBatch = tree("chunk-batch");
        assertThat(chunkBatch.at("/$defs/embedding/properties/dimension/maximum").asInt()).isEqualTo(EmbeddingInfo.MAX_DIMENSION);
        assertThat(chunkBatch.at("/$defs/chunk/properties/vector/maxItems").asInt()).isEqualTo(EmbeddingInfo.MAX_DIMENSION);
        assertThat(chunkBatch.at("/$defs/embedding/properties/model/maxLength").asInt()).isEqualTo(EmbeddingInfo.MODEL_MAX_LENGTH);
        assertThat(tree("ingest-status").at("/properties/reason/maxLength").asInt()).isEqualTo(IngestStatus.REASON_MAX_LENGTH);
    }

    private static void assertPatterns(String schema, Map<String, String> expected) {
        JsonNode root = tree(schema);
        expected.forEach((pointer, regex) ->
                assertThat(root.at(pointer).asString()).as("%s %s", schema, pointer).isEqualTo(regex));
    }

    private static void collectOpenObjects(JsonNode node, String at, List<String> open) {
        if (node.isObject()) {
            JsonNode type = node.path("type");
            boolean object = type.asString("").equals("object")
                    || (type.isArray() && type.valueStream().anyMatch(t -> t.asString().equals("object")));
            if (object && node.has("properties")) {
                JsonNode additional = node.path("additionalProperties");
                if (!additional.isBoolean() || additional.asBoolean()) {
                    open.add(at.isEmpty() ? "/" : at);
                }
            }
            node.properties().forEach(entry -> collectOpenObjects(entry.getValue(), at + "/" + entry.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectOpenObjects(node.get(i), at + "/" + i, open);
            }
        }
    }

    /** Properties of object schemas (not of the if/then overlays) need a description, directly or through $ref. */
    private static void collectUndescribedProperties(JsonNode root, JsonNode node, String at, List<String> undescribed) {
        if (!node.isObject()) {
            return;
        }
        if (node.has("properties") && node.has("type")) {
            node.path("properties").properties().forEach(entry -> {
                JsonNode property = entry.getValue();
                JsonNode target = property.has("$ref") ? root.at(property.path("$ref").asString().substring(1)) : property;
                if (!property.has("description") && !target.has("description")) {
                    undescribed.add(at + "/properties/" + entry.getKey());
                }
            });
        }
        node.properties().forEach(entry -> collectUndescribedProperties(root, entry.getValue(), at + "/" + entry.getKey(), undescribed));
    }

    private static JsonNode tree(String schema) {
        return JSON.readTree(ContractSchemas.text(schema));
    }
}
