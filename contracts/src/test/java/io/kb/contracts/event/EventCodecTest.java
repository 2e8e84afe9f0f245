package io.kb.contracts.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.kb.contracts.ContractViolationException;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final String DELETE = """
            {"schemaVersion":1,"operation":"DELETE","tenant":"acme","documentId":"a","version":2}""";

    private final EventCodec codec = new EventCodec();

    @Test
    void readsAValidEventIntoTheRecord() {
        DocumentEvent event = codec.readDocumentEvent(bytes(DELETE));

        assertThat(event).isEqualTo(DocumentEvent.delete("acme", "a", 2));
    }

    @Test
    void namesTheWholeDocumentForMalformedJson() {
        ContractViolationException violation = readFailure("{\"schemaVersion\":1,");

        assertThat(violation.field()).isEqualTo("$");
        assertThat(violation.getMessage()).startsWith("$: is not well-formed JSON");
    }

    @Test
    void namesTheWholeDocumentForEmptyInputAndForNull() {
        assertThat(catchThrowableOfType(ContractViolationException.class, () -> codec.readDocumentEvent(new byte[0])).field())
                .isEqualTo("$");
        assertThat(catchThrowableOfType(ContractViolationException.class, () -> codec.readDocumentEvent(null)).field())
                .isEqualTo("$");
        assertThat(readFailure("null").field()).isEqualTo("$");
    }

    @Test
    void rejectsDataAfterTheObject() {
        assertThat(readFailure(DELETE + " {}").field()).isEqualTo("$");
    }

    @Test
    void rejectsADuplicatePropertyRatherThanKeepingEitherValue() {
        ContractViolationException violation = readFailure(DELETE.replace("\"version\":2", "\"version\":2,\"tenant\":\"other\""));

        assertThat(violation.field()).isEqualTo("$");
        assertThat(violation.getMessage()).contains("tenant");
    }

    @Test
    void rejectsANumberWhereAStringBelongs() {
        assertThat(readFailure(DELETE.replace("\"a\"", "42")).field()).isEqualTo("documentId");
    }

    @Test
    void rejectsAnEnumGivenByIndex() {
        assertThat(readFailure(DELETE.replace("\"DELETE\"", "1")).field()).isEqualTo("operation");
    }

    @Test
    void rejectsAVersionBeyondTheRangeOfLong() {
        ContractViolationException violation = readFailure(DELETE.replace("\"version\":2", "\"version\":92233720368547758070"));

        assertThat(violation.field()).isEqualTo("version");
    }

    @Test
    void readsAnExplicitNullAsAnAbsentOptionalField() {
        DocumentEvent event = codec.readDocumentEvent(bytes(DELETE.replace("}", ",\"title\":null,\"occurredAt\":null}")));

        assertThat(event.title()).isNull();
        assertThat(event.occurredAt()).isNull();
    }

    @Test
    void rejectsNullForARequiredNumber() {
        ContractViolationException violation = readFailure(DELETE.replace("\"version\":2", "\"version\":null"));

        assertThat(violation.getMessage()).isEqualTo("version: is required");
    }

    @Test
    void readsInstantsWithAnOffsetAsTheSameMoment() {
        DocumentEvent event = codec.readDocumentEvent(bytes(DELETE.replace("}", ",\"occurredAt\":\"2025-05-01T14:00:00+02:00\"}")));

        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2025-05-01T12:00:00Z"));
    }

    @Test
    void givesAViolationInsideANestedRecordTheRecordsPath() {
        String upsert = """
                {"schemaVersion":1,"operation":"UPSERT","tenant":"acme","documentId":"a","version":2,
                 "acl":["public"],"content":{"reference":"gopher://old.example.com/a"}}""";

        ContractViolationException violation = readFailure(upsert);

        assertThat(violation.field()).isEqualTo("content.reference");
        assertThat(violation.getMessage()).startsWith("content.reference: must be a URI");
    }

    @Test
    void keepsControlCharactersOfUnknownPropertyNamesOutOfTheMessage() {
        ContractViolationException violation = readFailure(DELETE.replace("}", ",\"x\\nFORGED LOG LINE\\r\":1}"));

        assertThat(violation.field()).isEqualTo("x?FORGED LOG LINE?");
        assertThat(violation.getMessage()).doesNotContain("\n", "\r");
    }

    @Test
    void writesNeitherNullFieldsNorEmptyCollections() {
        String json = new String(codec.write(DocumentEvent.delete("acme", "a", 2)), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo(DELETE);
    }

    @Test
    void writesInstantsAsIsoStrings() {
        IngestStatus status = IngestStatus.received("acme", "a", 1, Instant.parse("2025-05-01T12:00:00.250Z"));

        assertThat(new String(codec.write(status), StandardCharsets.UTF_8)).contains("\"occurredAt\":\"2025-05-01T12:00:00.250Z\"");
    }

    @Test
    void refusesToWriteNull() {
        assertThatIllegalArgumentException().isThrownBy(() -> codec.write(null));
    }

    @Test
    void oneCodecServesManyThreadsAtOnce() throws Exception {
        List<DocumentEvent> events = IntStream.range(0, 400)
                .mapToObj(i -> DocumentEvent.upsert("acme", "doc-" + i, i, "Title " + i, null, List.of("user:u" + i), null,
                        Content.ofText("text " + i)))
                .toList();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<DocumentEvent>> copies = events.stream()
                    .map(event -> pool.submit(() -> codec.readDocumentEvent(codec.write(event))))
                    .toList();
            for (int i = 0; i < events.size(); i++) {
                assertThat(copies.get(i).get()).isEqualTo(events.get(i));
            }
        }
    }

    private ContractViolationException readFailure(String json) {
        ContractViolationException violation = catchThrowableOfType(ContractViolationException.class,
                () -> codec.readDocumentEvent(bytes(json)));
        assertThat(violation).as("expected a violation for %s", json).isNotNull();
        return violation;
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
