package io.kb.ingest.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kb.service.kafka.ProcessingFailure;
import io.kb.contracts.SupportedMediaTypes;
import io.kb.contracts.event.Chunk;
import io.kb.contracts.event.ChunkBatch;
import io.kb.contracts.event.ChunkIds;
import io.kb.contracts.event.ContractEvent;
import io.kb.contracts.event.DocumentEvent;
import io.kb.contracts.event.EmbeddingInfo;
import io.kb.contracts.event.IngestStages;
import io.kb.contracts.event.Operation;
import io.kb.ingest.chunk.Chunker;
import io.kb.ingest.chunk.TextChunk;
import io.kb.ingest.embed.EmbeddingClient;
import io.kb.ingest.embed.Embeddings;
import io.kb.ingest.parse.DocumentParser;
import io.kb.ingest.parse.ParseFailure;
import io.kb.ingest.parse.ParseHints;
import io.kb.ingest.parse.ParsedDocument;
import io.kb.service.kafka.ContractEventPublisher;
import io.kb.service.kafka.PublishFailedException;
import io.kb.ingest.source.ContentFetcher;
import io.kb.ingest.source.upload.UploadMissingException;
import io.kb.ingest.status.DocumentStates;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * One document event in, one chunk batch out. The stages, in order: (1) fetch the content, (2) parse it,
 * (3) chunk it, (4) embed the chunks, (5) publish the batch. A delete becomes a delete batch. Chunk ids derive
 * from tenant, document, version and ordinal, so processing the same event twice publishes the same batch.
 * Stages 1 to 3 run per document ({@link #prepare}); 4 and 5 run for several prepared documents at once
 * ({@link #complete}), so that small documents share the model's batches and the broker's round trips.
 *
 * <p>One event is skipped: a redelivered one whose upload is gone because its version was settled meanwhile (the
 * service died after the batch was acknowledged but before the offset was committed, and the indexer's status removed
 * the upload). Its batch is on the topic already; failing it would report a healthy document as failed. The listener
 * asks {@link #alreadySettled} before announcing the event; should the upload go between that and the fetch, the
 * settled status is announced again, so that the document's state does not stay {@code RECEIVED}.
 */
public final class IngestPipeline {

    private final ContentFetcher fetcher;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final EmbeddingClient embeddings;
    private final ContractEventPublisher publisher;
    private final MeterRegistry meters;
    private final DocumentStates states;

    public IngestPipeline(ContentFetcher fetcher, DocumentParser parser, Chunker chunker, EmbeddingClient embeddings,
            ContractEventPublisher publisher, MeterRegistry meters, DocumentStates states) {
        this.states = states;
        this.fetcher = fetcher;
        this.parser = parser;
        this.chunker = chunker;
        this.embeddings = embeddings;
        this.publisher = publisher;
        this.meters = meters;
    }

    /**
     * A document event made ready for embedding: stages 1 to 3 are done.
     *
     * @param event  the event
     * @param parsed the parsed document and its chunks; null for a delete, or for an event with nothing to publish
     *               (its version was settled while it waited, see the class comment)
     */
    public record Prepared(DocumentEvent event, Parsed parsed) {

        /** Chunk texts this document sends to the model. */
        public int texts() {
            return parsed == null ? 0 : parsed.chunks().size();
        }
    }

    /** What stages 2 and 3 made of an upsert. */
    public record Parsed(ParsedDocument document, List<TextChunk> chunks) {
    }

    /**
     * Stages 1 to 3 of an event: fetch, parse and chunk. A delete needs none of them.
     *
     * @throws ProcessingFailure when the document cannot be read or has no text
     */
    public Prepared prepare(DocumentEvent event) {
        if (event.operation() == Operation.DELETE) {
            return new Prepared(event, null);
        }
        ContentFetcher.Fetched content;
        try {
            content = timed(IngestStages.FETCH, () -> fetcher.fetch(event));                        // 1
        } catch (UploadMissingException e) {
            if (states.settled(event.key(), event.version())) {
                meters.counter("kb.ingest.documents", "outcome", "already-settled").increment();
                states.find(event.key()).ifPresent(this::publish);
                return new Prepared(event, null);
            }
            throw ProcessingFailure.permanent(IngestStages.FETCH, e.getMessage()
                    + "; uploads are kept for kb.ingest.uploads.max-age");
        }
        ParsedDocument document = timed(IngestStages.PARSE, () -> parse(event, content));          // 2
        List<TextChunk> chunks = timed(IngestStages.CHUNK, () -> chunker.chunk(document));         // 3
        if (chunks.isEmpty()) {
            throw ProcessingFailure.permanent(IngestStages.CHUNK, "empty: the document has no text to index");
        }
        return new Prepared(event, new Parsed(document, chunks));
    }

    /**
     * Stages 4 and 5 for prepared documents: the chunks of all documents of one knowledge base are embedded together
     * (in requests of the client's batch size), so that a poll of small documents fills the model's batches as one
     * large document would; then every chunk batch (or delete) is published in the documents' order, and this returns
     * once Kafka has acknowledged them all.
     *
     * @return the batches published, in order
     * @throws ProcessingFailure when embedding or publishing fails; some of the batches may be published already, and
     *                           publishing them again is idempotent
     */
    public List<ChunkBatch> complete(List<Prepared> documents) {
        Map<String, List<Prepared>> byKnowledgeBase = new LinkedHashMap<>();
        for (Prepared p : documents) {
            if (p.texts() > 0) {
                byKnowledgeBase.computeIfAbsent(p.event().tenant(), t -> new ArrayList<>()).add(p);
            }
        }
        Map<Prepared, Embeddings> vectors = new IdentityHashMap<>();
        byKnowledgeBase.forEach((knowledgeBase, prepared) -> {
            List<String> texts = prepared.stream()
                    .flatMap(p -> p.parsed().chunks().stream().map(TextChunk::text)).toList();
            Embeddings all = timed(IngestStages.EMBED, () -> embeddings.embed(knowledgeBase, texts));   // 4
            int from = 0;
            for (Prepared p : prepared) {
                vectors.put(p, new Embeddings(all.model(), all.dimension(),
                        all.vectors().subList(from, from + p.texts())));
                from += p.texts();
            }
        });
        List<ChunkBatch> batches = new ArrayList<>(documents.size());
        for (Prepared p : documents) {
            if (p.event().operation() == Operation.DELETE) {
                DocumentEvent e = p.event();
                batches.add(ChunkBatch.delete(e.tenant(), e.documentId(), e.version()));
            } else if (p.parsed() != null) {
                batches.add(batch(p.event(), p.parsed().document(), p.parsed().chunks(), vectors.get(p)));
            }
        }
        timed(IngestStages.PUBLISH, () -> {                                                         // 5
            publishAll(batches);
            return batches;
        });
        for (ChunkBatch b : batches) {
            if (b.operation() == Operation.UPSERT) {
                meters.counter("kb.ingest.chunks").increment(b.chunks().size());
                meters.counter("kb.ingest.documents", "outcome", "published").increment();
            }
        }
        return batches;
    }

    /**
     * Whether an event needs no work at all: its upload is gone and its version is settled (see the class comment).
     * Counted as {@code kb.ingest.documents} with outcome {@code already-settled}.
     */
    public boolean alreadySettled(DocumentEvent event) {
        if (event.operation() != Operation.UPSERT || !states.settled(event.key(), event.version())
                || !fetcher.uploadMissing(event)) {
            return false;
        }
        meters.counter("kb.ingest.documents", "outcome", "already-settled").increment();
        return true;
    }

    /** Publishes a contract event; a missing acknowledgement is worth another try of the whole record. */
    void publish(ContractEvent event) {
        publishAll(List.of(event));
    }

    /** Publishes events in order, waiting once for all acknowledgements. */
    void publishAll(List<? extends ContractEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        try {
            publisher.publishAll(events);
        } catch (PublishFailedException e) {
            throw ProcessingFailure.transientFailure(IngestStages.PUBLISH, e.getMessage(), e);
        }
    }

    private ParsedDocument parse(DocumentEvent event, ContentFetcher.Fetched content) {
        try (InputStream in = content.stream()) {
            return parser.parse(in, new ParseHints(event.mediaType(), content.fileName(), content.charset()));
        } catch (ParseFailure e) {
            throw ProcessingFailure.permanent(IngestStages.PARSE, e.reason().code() + ": " + e.getMessage());
        } catch (IOException e) {
            throw ProcessingFailure.transientFailure(IngestStages.FETCH, "cannot read the content: " + e.getMessage(), e);
        }
    }

    private static ChunkBatch batch(DocumentEvent event, ParsedDocument document, List<TextChunk> chunks,
            Embeddings vectors) {
        List<Chunk> out = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            TextChunk c = chunks.get(i);
            out.add(new Chunk(ChunkIds.of(event.tenant(), event.documentId(), event.version(), i), i, c.text(),
                    vectors.vectors().get(i), c.headingPath(), c.page(), c.startOffset(), c.endOffset()));
        }
        String title = event.title() != null && !event.title().isBlank() ? event.title() : shorten(document.title());
        String mediaType = SupportedMediaTypes.find(document.mediaType())
                .map(SupportedMediaTypes::value)
                .orElse(event.mediaType() != null ? event.mediaType() : SupportedMediaTypes.OCTET_STREAM.value());
        Map<String, String> metadata = new LinkedHashMap<>(event.metadata() == null ? Map.of() : event.metadata());
        if (document.language() != null) {
            metadata.putIfAbsent("language", document.language());
        }
        return new ChunkBatch(ChunkBatch.SCHEMA_VERSION, Operation.UPSERT, event.tenant(), event.documentId(),
                event.version(), title, event.source(), mediaType, event.acl(), metadata,
                new EmbeddingInfo(vectors.model(), vectors.dimension()), out);
    }

    /** Titles found inside files can be anything; the contract allows 1000 characters. */
    private static String shorten(String title) {
        if (title == null || title.codePointCount(0, title.length()) <= 1000) {
            return title;
        }
        return title.substring(0, title.offsetByCodePoints(0, 999)) + "…";
    }

    private <T> T timed(String stage, java.util.function.Supplier<T> work) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "failure";
        try {
            T result = work.get();
            outcome = "success";
            return result;
        } finally {
            sample.stop(Timer.builder("kb.ingest.stage").tag("stage", stage).tag("outcome", outcome).register(meters));
        }
    }
}
