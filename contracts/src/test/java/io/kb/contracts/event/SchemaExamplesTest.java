package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the JSON Schemas and the Java records to the same verdicts, over the example files: what one
 * accepts the other accepts, what one rejects the other rejects, and the Java side names the field
 * that the manifest expects.
 */
class SchemaExamplesTest {

    private static final EventCodec CODEC = new EventCodec();

    private static final Map<String, Function<byte[], ContractEvent>> READERS = Map.of(
            "document-event", CODEC::readDocumentEvent,
            "chunk-batch", CODEC::readChunkBatch,
            "ingest-status", CODEC::readIngestStatus);

    static Stream<String> schemas() {
        return ContractSchemas.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void everySchemaHasValidAndInvalidExamples(String schema) {
        assertThat(ExampleFiles.files(schema, "valid")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(ExampleFiles.files(schema, "invalid")).hasSizeGreaterThanOrEqualTo(5);
    }

    @ParameterizedTest
    @MethodSource("schemas")
    void manifestsListExactlyTheExampleFiles(String schema) {
        for (String kind : List.of("invalid", "java-only")) {
            List<String> files = ExampleFiles.files(schema, kind).stream().map(p -> p.getFileName().toString()).toList();
            assertThat(ExampleFiles.expectedFields(schema, kind).keySet())
                    .as("examples/%s/%s/expected-fields.tsv", schema, kind)
                    .containsExactlyInAnyOrderElementsOf(files);
        }
    }

    @TestFactory
    Stream<DynamicNode> validExamplesPassTheSchemaAndTheCodec() {
        return ContractSchemas.NAMES.stream().map(schema -> DynamicContainer.dynamicContainer(schema,
                ExampleFiles.files(schema, "valid").stream().map(file -> DynamicTest.dynamicTest(nameOf(file), () -> {
                    String json = ExampleFiles.read(file);
                    assertThat(ContractSchemas.errors(schema, json)).as("schema errors").isEmpty();
                    assertThatCode(() -> READERS.get(schema).apply(bytes(json))).as("codec").doesNotThrowAnyException();
                }))));
    }

    @TestFactory
    Stream<DynamicNode> invalidExamplesFailTheSchemaAndTheCodecNamesTheField() {
        return ContractSchemas.NAMES.stream().map(schema -> DynamicContainer.dynamicContainer(schema,
                cases(schema, "invalid", (file, field) -> {
                    String json = ExampleFiles.read(file);
                    assertThat(ContractSchemas.errors(schema, json))
                            .as("the schema must reject it at or around the field")
                            .anyMatch(complaint -> complaint.concerns(field));
                    assertCodecRejects(schema, json, field);
                })));
    }

    @TestFactory
    Stream<DynamicNode> javaOnlyExamplesPassTheSchemaButNotTheCodec() {
        return ContractSchemas.NAMES.stream().map(schema -> DynamicContainer.dynamicContainer(schema,
                cases(schema, "java-only", (file, field) -> {
                    String json = ExampleFiles.read(file);
                    assertThat(ContractSchemas.errors(schema, json))
                            .as("the schema cannot express this rule; if it now can, move the example to invalid/")
                            .isEmpty();
                    assertCodecRejects(schema, json, field);
                })));
    }

    private static void assertCodecRejects(String schema, String json, String field) {
        ContractViolationException violation = catchThrowableOfType(ContractViolationException.class,
                () -> READERS.get(schema).apply(bytes(json)));
        assertThat(violation).as("codec must reject").isNotNull();
        assertThat(violation.field()).as(violation.getMessage()).isEqualTo(field);
        assertThat(violation.getMessage()).startsWith(field + ": ");
    }

    private interface ExampleCheck {
        void check(Path file, String expectedField) throws Throwable;
    }

    private static Stream<DynamicTest> cases(String schema, String kind, ExampleCheck check) {
        Map<String, String> expected = ExampleFiles.expectedFields(schema, kind);
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : ExampleFiles.files(schema, kind)) {
            String field = expected.get(file.getFileName().toString());
            tests.add(DynamicTest.dynamicTest(nameOf(file) + " -> " + field, () -> {
                assertThat(field).as("expected field in the manifest").isNotNull();
                check.check(file, field);
            }));
        }
        return tests.stream();
    }

    private static String nameOf(Path file) {
        return file.getFileName().toString();
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
