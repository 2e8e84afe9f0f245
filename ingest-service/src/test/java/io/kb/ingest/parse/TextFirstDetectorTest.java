package io.kb.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.tika.config.TikaConfig;
import org.apache.tika.detect.CompositeDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.io.TikaInputStream;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;
import org.junit.jupiter.api.Test;

class TextFirstDetectorTest {

    private static final Detector TIKAS = TikaConfig.getDefaultConfig().getDetector();
    private static final Detector TEXT_FIRST = TextFirstDetector.around(TIKAS);

    /** Text of several kinds, Tika's containers, and things that are neither. */
    private static Map<String, byte[]> corpus() {
        Map<String, byte[]> corpus = new LinkedHashMap<>();
        corpus.put("plain", Fixtures.utf8("The office opens at nine.\n\nIt closes at six."));
        corpus.put("markdown", Fixtures.utf8("# Travel\n\n- Economy class under six hours.\n- Receipts for everything."));
        corpus.put("chinese", Fixtures.utf8("# 安装指南\n\n先下载安装包，然后运行安装程序。"));
        corpus.put("html", Fixtures.utf8("<html><body><h1>Leave</h1><p>Twenty-five days a year.</p></body></html>"));
        corpus.put("xhtml", Fixtures.utf8("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"));
        corpus.put("xml", Fixtures.utf8("<?xml version=\"1.0\"?><policy><rule>No tailgating.</rule></policy>"));
        corpus.put("email", Fixtures.utf8("From: Alice <alice@example.com>\r\nTo: bob@example.com\r\nSubject: Report\r\n"
                + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello Bob.\r\n"));
        corpus.put("csv", Fixtures.utf8("name,days\nann,25\nbob,30\n"));
        corpus.put("json", Fixtures.utf8("{\"policy\": \"leave\", \"days\": 25}"));
        corpus.put("rtf", Fixtures.utf8("{\\rtf1\\ansi Leave policy.}"));
        corpus.put("pdf", Fixtures.pdf(List.of(List.of("A page of text.")), false));
        corpus.put("encrypted pdf", Fixtures.encryptedPdf());
        corpus.put("docx", Fixtures.docx());
        corpus.put("xlsx", Fixtures.xlsx());
        corpus.put("pptx", Fixtures.pptx(List.of("One slide")));
        corpus.put("zip", zip("notes.txt", "Plain text inside a zip."));
        corpus.put("gzip", gzip("Plain text inside gzip."));
        corpus.put("tar", tar("notes.txt", "Plain text inside a tar."));
        byte[] garbage = new byte[4096];
        new Random(42).nextBytes(garbage);
        corpus.put("garbage", garbage);
        corpus.put("one byte", new byte[] {'x'});
        return corpus;
    }

    @Test
    void answersEveryKindOfContentAsTikasDefaultDetectorDoes() throws IOException {
        assertThat(TEXT_FIRST).isInstanceOf(TextFirstDetector.class);
        List<Metadata> hints = List.of(new Metadata(), hint(Metadata.CONTENT_TYPE, "text/markdown"),
                hint(TikaCoreProperties.RESOURCE_NAME_KEY, "report.docx"), hint(Metadata.CONTENT_TYPE, "application/pdf"));
        for (Map.Entry<String, byte[]> document : corpus().entrySet()) {
            for (Metadata hint : hints) {
                MediaType expected = detect(TIKAS, document.getValue(), hint);

                assertThat(detect(TEXT_FIRST, document.getValue(), hint))
                        .as("%s with %s", document.getKey(), hint).isEqualTo(expected);
            }
        }
    }

    @Test
    void answersATypeForcedByTheCallerAsTikaDoes() throws IOException {
        Metadata forced = hint(TikaCoreProperties.CONTENT_TYPE_USER_OVERRIDE, "application/pdf");

        assertThat(detect(TEXT_FIRST, Fixtures.utf8("Plain text."), forced)).isEqualTo(MediaType.application("pdf"))
                .isEqualTo(detect(TIKAS, Fixtures.utf8("Plain text."), forced));
    }

    @Test
    void asksTheContainerDetectorsOnlyForContentThatIsNotText() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        Detector container = (input, metadata) -> {
            asked.incrementAndGet();
            return MediaType.OCTET_STREAM;
        };
        MimeTypes types = MimeTypes.getDefaultMimeTypes();
        Detector detector = TextFirstDetector.around(new CompositeDetector(types.getMediaTypeRegistry(),
                List.of(container, types)));

        assertThat(detect(detector, Fixtures.utf8("# Travel\n\nEconomy class."), new Metadata()))
                .isEqualTo(MediaType.TEXT_PLAIN);
        assertThat(detect(detector, Fixtures.utf8("<html><body><p>Leave.</p></body></html>"), new Metadata()))
                .isEqualTo(MediaType.text("html"));
        assertThat(detect(detector, Fixtures.utf8("From: Alice <alice@example.com>\r\nTo: bob@example.com\r\n"
                + "Subject: Report\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello Bob.\r\n"), new Metadata()))
                .isEqualTo(MediaType.parse("message/rfc822"));
        assertThat(asked).hasValue(0);

        detect(detector, Fixtures.docx(), new Metadata());
        detect(detector, Fixtures.pdf(List.of(List.of("A page.")), false), new Metadata());
        assertThat(asked).hasValue(2);
    }

    @Test
    void leavesADetectorWithoutTikasMagicAsItIs() {
        Detector container = (input, metadata) -> MediaType.OCTET_STREAM;
        CompositeDetector withoutMagic = new CompositeDetector(container);

        assertThat(TextFirstDetector.around(withoutMagic)).isSameAs(withoutMagic);
        assertThat(TextFirstDetector.around(container)).isSameAs(container);
    }

    private static MediaType detect(Detector detector, byte[] content, Metadata hint) throws IOException {
        Metadata metadata = new Metadata();
        for (String name : hint.names()) {
            metadata.set(name, hint.get(name));
        }
        try (InputStream in = TikaInputStream.get(content)) {
            return detector.detect(in, metadata);
        }
    }

    private static Metadata hint(String name, String value) {
        Metadata metadata = new Metadata();
        metadata.set(name, value);
        return metadata;
    }

    private static Metadata hint(org.apache.tika.metadata.Property property, String value) {
        Metadata metadata = new Metadata();
        metadata.set(property, value);
        return metadata;
    }

    private static byte[] zip(String name, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry(name));
            out.write(Fixtures.utf8(text));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(Fixtures.utf8(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] tar(String name, String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] content = Fixtures.utf8(text);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
