package io.kb.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.DocumentKey;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.http.ProblemTypes;
import io.kb.ingest.source.SourceProperties;
import io.kb.ingest.source.upload.UploadProperties;
import io.kb.ingest.source.upload.UploadStore;
import io.kb.ingest.source.upload.UploadTooLargeException;
import io.kb.ingest.status.DocumentStates;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.PublishFailedException;
import io.kb.service.security.AuthenticatedCaller;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The documents API: a producer of {@code kb.documents.v1} like any other, and a reader of the document states that
 * {@code kb.ingest.status.v1} reports. Nothing here parses or indexes; an accepted request is an event that Kafka
 * has acknowledged, and the pipeline takes it from there.
 *
 * <p>Every document is the caller's tenant's: the tenant comes from the token, never from the request. Document ids
 * may contain {@code /}, so the paths that name one take the rest of the path ({@code /api/v1/documents/wiki/a/b}
 * names {@code wiki/a/b}); a segment's other reserved characters are percent-encoded, while an encoded slash
 * ({@code %2F}) is refused by the server and an id with empty, {@code .} or {@code ..} segments cannot be named in a
 * path at all.
 */
@RestController
@RequestMapping(DocumentsController.BASE)
public class DocumentsController {

    static final String BASE = "/api/v1/documents";

    private static final Logger log = LoggerFactory.getLogger(DocumentsController.class);

    private final ContractEventPublisher publisher;
    private final DocumentStates states;
    private final SourceProperties source;
    private final DocumentApiProperties properties;
    private final MeterRegistry meters;
    private final UploadStore store;
    private final UploadProperties storeProperties;
    private final UploadEvents uploads;
    private final Clock clock = Clock.systemUTC();

    public DocumentsController(ContractEventPublisher publisher, DocumentStates states, SourceProperties source,
            DocumentApiProperties properties, MeterRegistry meters, UploadStore store, UploadProperties storeProperties) {
        this.publisher = publisher;
        this.states = states;
        this.source = source;
        this.properties = properties;
        this.meters = meters;
        this.store = store;
        this.storeProperties = storeProperties;
        this.uploads = new UploadEvents(store, source.inlineMaxBytes().toBytes(), storeProperties.maxBytes().toBytes());
    }

    /** Adds or replaces a document given as JSON: its text, its bytes in base64, or a reference to fetch. */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<DocumentAccepted> uploadJson(InputStream body, AuthenticatedCaller caller) throws IOException {
        long max = properties.maxJsonBody().toBytes();
        byte[] json = body.readNBytes((int) max + 1);
        if (json.length > max) {
            throw tooLarge("The JSON body is larger than " + properties.maxJsonBody()
                    + " (kb.ingest.api.max-json-body); upload the file as multipart/form-data or send a reference.");
        }
        return accept(uploads.fromJson(json, caller.tenant(), clock.millis()));
    }

    /**
     * Adds or replaces a document uploaded as a file; see {@link UploadEvents#fromMultipart} for the fields. A file over
     * the inline limit is stored in the {@link UploadStore} and the event carries its reference; the store's copy is
     * removed again when the event cannot be published.
     */
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<DocumentAccepted> uploadFile(@RequestPart("file") MultipartFile file,
            @RequestParam MultiValueMap<String, String> fields, AuthenticatedCaller caller) {
        UploadEvents.Multipart upload;
        try {
            upload = uploads.fromMultipart(file, fields.toSingleValueMap(), caller.tenant(), clock.millis());
        } catch (UploadTooLargeException e) {
            throw tooLarge("The file is larger than " + storeProperties.maxBytes()
                    + ", the largest upload stored (kb.ingest.uploads.max-bytes); nothing was kept.");
        }
        if (upload.stored() == null) {
            return accept(upload.event());
        }
        meters.counter("kb.ingest.uploads.stored").increment();
        try {
            return accept(upload.event());
        } catch (RuntimeException e) {
            // Not accepted, so no status will ever release it.
            store.delete(upload.stored());
            throw e;
        }
    }

    /**
     * Removes a document. The delete's version is {@code version} when given, else the current time in
     * milliseconds, which is newer than any default version of an upload made before it.
     */
    @DeleteMapping("/{*documentId}")
    public ResponseEntity<DocumentAccepted> delete(@PathVariable String documentId,
            @RequestParam(required = false) String version, AuthenticatedCaller caller) {
        String id = stripLeadingSlash(documentId);
        DocumentEvent event = DocumentEvent.delete(caller.tenant(), id, UploadEvents.version(version, clock.millis()));
        publish(event);
        meters.counter("kb.ingest.api.documents", "operation", "delete").increment();
        return ResponseEntity.accepted().location(location(id)).body(DocumentAccepted.of(id, event.version()));
    }

    /** The latest known state of one of the caller's tenant's documents; 404 for any other. */
    @GetMapping("/{*documentId}")
    public DocumentState state(@PathVariable String documentId, AuthenticatedCaller caller) {
        String id = stripLeadingSlash(documentId);
        DocumentKey key;
        try {
            key = new DocumentKey(caller.tenant(), id);
        } catch (ContractViolationException e) {
            throw notFound(id);
        }
        return states.find(key).map(DocumentState::of).orElseThrow(() -> notFound(id));
    }

    private ResponseEntity<DocumentAccepted> accept(DocumentEvent event) {
        try {
            event.requireInlineWithin(source.inlineMaxBytes().toBytes());
        } catch (ContractViolationException e) {
            throw tooLarge("The document is larger than " + source.inlineMaxBytes()
                    + ", the most that travels inline in JSON (kb.ingest.source.inline-max-bytes); upload the file as"
                    + " multipart/form-data (stored beside the event up to kb.ingest.uploads.max-bytes) or send a"
                    + " reference instead.");
        }
        publish(event);
        meters.counter("kb.ingest.api.documents", "operation", "upsert").increment();
        return ResponseEntity.accepted().location(location(event.documentId()))
                .body(DocumentAccepted.of(event.documentId(), event.version()));
    }

    private void publish(DocumentEvent event) {
        try {
            publisher.publish(event);
        } catch (PublishFailedException e) {
            log.warn("cannot publish document {}: {}", event.key().asString(), e.getMessage());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "The document could not be handed to Kafka; nothing was accepted. Try again later.");
            problem.setType(ProblemTypes.UPSTREAM_UNAVAILABLE);
            problem.setTitle("Kafka unavailable");
            ErrorResponseException unavailable = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, e);
            unavailable.getHeaders().set(HttpHeaders.RETRY_AFTER, "10");
            throw unavailable;
        }
    }

    private static ErrorResponseException tooLarge(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail);
        problem.setType(ProblemTypes.PAYLOAD_TOO_LARGE);
        problem.setTitle("Payload too large");
        return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, problem, null);
    }

    // The same answer whether the document is unknown or another tenant's: its existence is not revealed.
    private static ErrorResponseException notFound(String documentId) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "No document with this id is known in your tenant.");
        problem.setType(ProblemTypes.NOT_FOUND);
        problem.setTitle("Document not found");
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }

    private static URI location(String documentId) {
        return UriComponentsBuilder.fromPath(BASE).pathSegment(documentId.split("/", -1)).encode().build().toUri();
    }

    private static String stripLeadingSlash(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
