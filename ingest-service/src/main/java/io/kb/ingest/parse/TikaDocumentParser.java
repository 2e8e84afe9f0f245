package io.kb.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.tika.config.ServiceLoader;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.Detector;
import org.apache.tika.detect.DefaultEncodingDetector;
import org.apache.tika.detect.EncodingDetector;
import org.apache.tika.exception.EncryptedDocumentException;
import org.apache.tika.exception.TikaMemoryLimitException;
import org.apache.tika.exception.WriteLimitReachedException;
import org.apache.tika.exception.ZeroByteFileException;
import org.apache.tika.extractor.EmbeddedDocumentExtractor;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.parser.AutoDetectParser;
import org.apache.tika.parser.AutoDetectParserConfig;
import org.apache.tika.parser.ParseContext;
import org.apache.tika.parser.Parser;
import org.apache.tika.parser.html.HtmlEncodingDetector;
import org.apache.tika.parser.ocr.TesseractOCRConfig;
import org.apache.tika.parser.pdf.PDFParserConfig;

/**
 * {@link DocumentParser} on Apache Tika: detection by content, Tika's parsers for PDF, Office Open XML,
 * HTML and e-mail, and this module's reading of Markdown and plain text.
 *
 * <p>Hostile input meets these guards, each ending in a {@link ParseFailure}:
 * <ul>
 *   <li>the content is read while counting, and more than {@code max-bytes} stops the copy
 *       ({@code too-large}); up to 1 MiB (every inline document) it is held in memory, beyond that
 *       it goes to a temporary file, so a large document is never held whole in memory here;</li>
 *   <li>the SAX handler counts extracted characters ({@code too-large}) and pages ({@code too-many-pages});</li>
 *   <li>Tika's {@code SecureContentHandler} (through {@link AutoDetectParserConfig}) and POI's own
 *       inflation check stop decompression bombs ({@code zip-bomb}); embedded documents are followed
 *       only to {@code max-embedded-depth};</li>
 *   <li>each parse runs on its own daemon thread and the caller waits at most {@code timeout}.
 *       After the deadline the parse is abandoned: the caller gets {@code timeout} at once, the
 *       thread is interrupted, and the handler throws on the parser's next output, which stops
 *       every parser that still produces text. A parser stuck without output keeps its thread
 *       until it returns; because such a thread keeps its slot of {@code max-concurrent-parses},
 *       stuck parses cannot multiply, and when all slots are stuck new documents fail with
 *       {@code timeout} instead of queueing without bound.</li>
 * </ul>
 * OCR is off: scanned pages without a text layer yield no text.
 */
public final class TikaDocumentParser implements DocumentParser {

    /** Content up to this size is parsed from memory; larger content from a temporary file. */
    static final int IN_MEMORY_BYTES = 1024 * 1024;

    /** Tika's encoding detectors for plain text and Markdown: all but the one that reads HTML meta declarations. */
    private static final EncodingDetector TEXT_ENCODINGS =
            new DefaultEncodingDetector(new ServiceLoader(), List.of(HtmlEncodingDetector.class));

    private static final MediaType MARKDOWN = MediaType.parse("text/x-web-markdown");
    private static final MediaType OOXML_PROTECTED = MediaType.application("x-tika-ooxml-protected");
    private static final Set<MediaType> STRUCTURED = Set.of(
            MediaType.application("pdf"),
            MediaType.application("vnd.openxmlformats-officedocument.wordprocessingml.document"),
            MediaType.application("vnd.openxmlformats-officedocument.presentationml.presentation"),
            MediaType.application("vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            MediaType.text("html"),
            MediaType.application("xhtml+xml"),
            MediaType.parse("message/rfc822"));

    private final ParseProperties limits;
    private final AutoDetectParser parser;
    private final DetectOnceDetector detector;
    private final MediaTypeRegistry registry;
    private final BoilerplateRemover boilerplate;
    private final Semaphore slots;
    /**
     * The parse threads: reused while they are free, and a new one for a document when none is. A parse abandoned at
     * its deadline keeps its thread (and its slot) until it returns.
     */
    private final ExecutorService workers =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("tika-parse-", 0).daemon(true).factory());

    /**
     * @param limits the limits against hostile files
     */
    public TikaDocumentParser(ParseProperties limits) {
        this(limits, TextFirstDetector.around(TikaConfig.getDefaultConfig().getDetector()),
                TikaConfig.getDefaultConfig().getParser());
    }

    /** For tests: a parser whose detector and parsers are chosen by the caller. */
    TikaDocumentParser(ParseProperties limits, Detector detector, Parser parsers) {
        this.limits = limits;
        this.detector = new DetectOnceDetector(detector);
        this.parser = new TypeSnapshotParser(this.detector, parsers, context(null, limits));
        this.registry = MediaTypeRegistry.getDefaultRegistry();
        this.boilerplate = new BoilerplateRemover(limits.boilerplateMinPageShare());
        this.slots = new Semaphore(limits.maxConcurrentParses());
        AutoDetectParserConfig config = new AutoDetectParserConfig();
        config.setMaximumCompressionRatio(limits.maxCompressionRatio());
        config.setMaximumDepth(limits.maxElementDepth());
        // The extractor skips documents deeper than max-embedded-depth; this is the backstop behind it.
        config.setMaximumPackageEntryDepth(limits.maxEmbeddedDepth() + 2);
        config.setThrowOnZeroBytes(false);
        parser.setAutoDetectParserConfig(config);
    }

    @Override
    public ParsedDocument parse(InputStream content, ParseHints hints) {
        long deadline = System.nanoTime() + limits.timeout().toNanos();
        try (Spooled spooled = spool(content)) {
            if (!slots.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
                throw new ParseFailure(ParseFailure.Reason.TIMEOUT, "no parser was free within " + limits.timeout()
                        + " (all " + limits.maxConcurrentParses() + " are busy or stuck)");
            }
            AtomicBoolean abandoned = new AtomicBoolean();
            // Whoever takes the slot's release: the parse when it starts, or the caller giving up before it did.
            AtomicBoolean started = new AtomicBoolean();
            Future<ParsedDocument> task;
            try {
                task = workers.submit(() -> {
                    if (!started.compareAndSet(false, true)) {
                        return null;
                    }
                    try {
                        return parseSpooled(spooled, hints, abandoned);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            try {
                return task.get(remaining(deadline), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                abandoned.set(true);
                task.cancel(true);
                if (started.compareAndSet(false, true)) {
                    slots.release();
                }
                throw new ParseFailure(ParseFailure.Reason.TIMEOUT,
                        "parsing took longer than " + limits.timeout() + " and was abandoned");
            } catch (ExecutionException e) {
                throw failure(e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParseFailure(ParseFailure.Reason.TIMEOUT, "interrupted while waiting for the parser", e);
        }
    }

    /**
     * The content, read to its end within {@code max-bytes}: in memory up to {@value #IN_MEMORY_BYTES} bytes, which
     * holds every inline document, and in a temporary file beyond. A parse abandoned at its deadline may still be
     * reading it; the file is deleted anyway, and that parse fails on its next read.
     */
    private record Spooled(byte[] bytes, Path file) implements AutoCloseable {

        TikaInputStream open() throws IOException {
            return file == null ? TikaInputStream.get(bytes) : TikaInputStream.get(file);
        }

        @Override
        public void close() {
            deleteQuietly(file);
        }
    }

    private Spooled spool(InputStream content) {
        long maxBytes = limits.maxBytes().toBytes();
        Path spool = null;
        try {
            int inMemory = (int) Math.min(IN_MEMORY_BYTES, maxBytes);
            byte[] head = content.readNBytes(inMemory + 1);
            if (head.length == 0) {
                throw new ParseFailure(ParseFailure.Reason.EMPTY, "the document has no content (0 bytes)");
            }
            long total = head.length;
            if (total > maxBytes) {
                throw tooLarge(maxBytes);
            }
            if (head.length <= inMemory) {
                return new Spooled(head, null);
            }
            spool = Files.createTempFile("kb-ingest-", ".doc");
            byte[] buffer = new byte[64 * 1024];
            try (OutputStream out = Files.newOutputStream(spool)) {
                out.write(head);
                int read;
                while ((read = content.read(buffer)) >= 0) {
                    total += read;
                    if (total > maxBytes) {
                        throw tooLarge(maxBytes);
                    }
                    out.write(buffer, 0, read);
                }
            }
            return new Spooled(null, spool);
        } catch (IOException e) {
            deleteQuietly(spool);
            throw new ParseFailure(ParseFailure.Reason.CORRUPT, "the content could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(spool);
            throw e;
        }
    }

    private static ParseFailure tooLarge(long maxBytes) {
        return new ParseFailure(ParseFailure.Reason.TOO_LARGE, "the document is larger than the limit of " + maxBytes + " bytes");
    }

    private ParsedDocument parseSpooled(Spooled spooled, ParseHints hints, AtomicBoolean abandoned) throws Exception {
        Metadata metadata = new Metadata();
        if (hints.fileName() != null && !hints.fileName().isBlank()) {
            metadata.set(TikaCoreProperties.RESOURCE_NAME_KEY, hints.fileName());
        }
        String declared = hints.baseMediaType();
        if (!declared.isEmpty() && !declared.equals("application/octet-stream")) {
            // Only a hint: Tika's detector lets magic bytes win over a declared type that contradicts them.
            metadata.set(Metadata.CONTENT_TYPE, declared.equals("text/markdown") ? MARKDOWN.toString() : declared);
        }
        try (TikaInputStream in = spooled.open()) {
            MediaType detected = detector.detectAndRemember(in, metadata).getBaseType();
            Family family = family(detected);
            metadata.set(Metadata.CONTENT_TYPE, detected.toString());
            ParseContext context = context();
            if (family == Family.TEXT) {
                // Inline text was encoded here: guessing its encoding could only get it wrong. Other text is guessed
                // without Tika's HTML detector, which takes a quoted <meta charset> for the encoding of a text file.
                Charset known = hints.charset();
                context.set(EncodingDetector.class, known != null ? (input, ignored) -> known : TEXT_ENCODINGS);
            }
            StructureHandler handler = new StructureHandler(metadata, limits.maxPages(), limits.maxCharacters(), abandoned);
            try {
                parser.parse(in, handler, metadata, context);
            } catch (Exception | StackOverflowError e) {
                if (handler.breach() != null) {
                    throw new ParseFailure(handler.breach().reason(), handler.breach().getMessage(), e);
                }
                throw e;
            }
            if (handler.breach() != null) {
                throw new ParseFailure(handler.breach().reason(), handler.breach().getMessage());
            }
            List<RawBlock> blocks = handler.blocks();
            String mediaType = detected.toString();
            if (family == Family.TEXT) {
                String whole = blocks.stream().map(RawBlock::text).collect(Collectors.joining("\n\n"));
                if (isMarkdown(detected, declared, hints.fileName(), whole)) {
                    blocks = MarkdownStructure.parse(whole);
                    mediaType = "text/markdown";
                } else {
                    blocks = MarkdownStructure.paragraphs(whole);
                    mediaType = "text/plain";
                }
            }
            blocks = boilerplate.remove(blocks);
            return DocumentAssembler.assemble(blocks, metadata.get(TikaCoreProperties.TITLE), mediaType,
                    handler.pageCount(), metadata(metadata, detected));
        }
    }

    private enum Family { STRUCTURED, TEXT }

    private Family family(MediaType detected) {
        if (detected.equals(OOXML_PROTECTED)) {
            throw new ParseFailure(ParseFailure.Reason.ENCRYPTED, "the Office document is protected by a password");
        }
        if (STRUCTURED.contains(detected)) {
            return Family.STRUCTURED;
        }
        if (detected.equals(MediaType.TEXT_PLAIN) || registry.isSpecializationOf(detected, MediaType.TEXT_PLAIN)) {
            return Family.TEXT;
        }
        throw new ParseFailure(ParseFailure.Reason.UNSUPPORTED_FORMAT, "the content is " + detected
                + ", which ingestion does not parse (PDF, DOCX, PPTX, XLSX, HTML, Markdown, plain text and e-mail are)");
    }

    private static boolean isMarkdown(MediaType detected, String declared, String fileName, String text) {
        if (detected.equals(MARKDOWN) || declared.equals("text/markdown") || declared.equals("text/x-markdown")) {
            return true;
        }
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".md") || name.endsWith(".markdown")) {
            return true;
        }
        return !declared.equals("text/plain") && MarkdownStructure.looksLikeMarkdown(text);
    }

    private ParseContext context() {
        return context(parser, limits);
    }

    /**
     * The context of every parse: embedded documents go back to {@code parser} up to the depth limit, and neither PDF
     * nor images are sent to OCR. {@link TypeSnapshotParser} takes its choice of parsers from a context made here.
     */
    private static ParseContext context(Parser parser, ParseProperties limits) {
        ParseContext context = new ParseContext();
        if (parser != null) {
            context.set(Parser.class, parser);
        }
        context.set(EmbeddedDocumentExtractor.class, new DepthLimitedEmbeddedExtractor(context, limits.maxEmbeddedDepth()));
        PDFParserConfig pdf = new PDFParserConfig();
        pdf.setOcrStrategy(PDFParserConfig.OCR_STRATEGY.NO_OCR);
        // The outline repeats the headings as a list after the last page; the pages already have them.
        pdf.setExtractBookmarksText(false);
        context.set(PDFParserConfig.class, pdf);
        TesseractOCRConfig ocr = new TesseractOCRConfig();
        ocr.setSkipOcr(true);
        context.set(TesseractOCRConfig.class, ocr);
        return context;
    }

    private static Map<String, String> metadata(Metadata metadata, MediaType detected) {
        Map<String, String> selected = new LinkedHashMap<>();
        put(selected, "author", metadata, TikaCoreProperties.CREATOR.getName());
        put(selected, "created", metadata, TikaCoreProperties.CREATED.getName());
        put(selected, "modified", metadata, TikaCoreProperties.MODIFIED.getName());
        put(selected, "subject", metadata, TikaCoreProperties.SUBJECT.getName());
        put(selected, "language", metadata, TikaCoreProperties.LANGUAGE.getName());
        if (detected.equals(MediaType.parse("message/rfc822"))) {
            put(selected, "from", metadata, "Message-From");
            put(selected, "to", metadata, "Message-To");
            put(selected, "cc", metadata, "Message-CC");
            put(selected, "date", metadata, TikaCoreProperties.CREATED.getName());
        }
        return selected;
    }

    private static void put(Map<String, String> selected, String key, Metadata metadata, String name) {
        String[] values = metadata.getValues(name);
        String value = TextCleaner.cleanLine(String.join(", ", values));
        if (!value.isEmpty()) {
            selected.put(key, value);
        }
    }

    /** Maps whatever the parser threw to a reason; the library's exception stays only as the cause. */
    private static ParseFailure failure(Throwable thrown) {
        if (thrown instanceof ParseFailure failure) {
            return failure;
        }
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof ParseLimitExceeded exceeded) {
                return new ParseFailure(exceeded.reason(), exceeded.getMessage(), thrown);
            }
            if (t instanceof EncryptedDocumentException || t instanceof org.apache.poi.EncryptedDocumentException
                    || t instanceof org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException) {
                return new ParseFailure(ParseFailure.Reason.ENCRYPTED, "the document is protected by a password", thrown);
            }
            if (message.contains("zip bomb")) {
                return new ParseFailure(ParseFailure.Reason.ZIP_BOMB,
                        "the document expands far beyond its size (suspected decompression bomb)", thrown);
            }
            if (t instanceof WriteLimitReachedException || t instanceof TikaMemoryLimitException
                    || t instanceof OutOfMemoryError) {
                return new ParseFailure(ParseFailure.Reason.TOO_LARGE,
                        "the document needs more memory or output than the limits allow", thrown);
            }
            if (t instanceof ZeroByteFileException) {
                return new ParseFailure(ParseFailure.Reason.EMPTY, "the document has no content", thrown);
            }
        }
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new ParseFailure(ParseFailure.Reason.CORRUPT,
                "the document is damaged or truncated and could not be parsed (" + root.getClass().getSimpleName()
                        + (root.getMessage() == null ? "" : ": " + abbreviate(root.getMessage())) + ")", thrown);
    }

    private static String abbreviate(String message) {
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static void deleteQuietly(Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // The temporary directory is cleaned by the operating system; a left-over file harms nothing.
                path.toFile().deleteOnExit();
            }
        }
    }
}
