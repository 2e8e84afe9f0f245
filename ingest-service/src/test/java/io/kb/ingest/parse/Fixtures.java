package io.kb.ingest.parse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.CTStyle;
import org.openxmlformats.schemas.wordprocessingml.x2006.main.STStyleType;

/** Documents generated for the tests with POI and PDFBox; nothing is downloaded. */
final class Fixtures {

    private Fixtures() {
    }

    /** A PDF with one list of lines per page, each page framed by a running header and footer. */
    static byte[] pdf(List<List<String>> pages, boolean headerAndFooter) {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages.size(); p++) {
                PDPage page = new PDPage();
                pdf.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                    content.beginText();
                    content.setFont(font, 11);
                    content.newLineAtOffset(60, 740);
                    if (headerAndFooter) {
                        content.showText("ACME Corporation - Internal Handbook");
                        content.newLineAtOffset(0, -40);
                    }
                    for (String line : pages.get(p)) {
                        content.showText(line);
                        content.newLineAtOffset(0, -16);
                    }
                    if (headerAndFooter) {
                        content.newLineAtOffset(0, -300);
                        content.showText("Page " + (p + 1) + " of " + pages.size());
                    }
                    content.endText();
                }
            }
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A PDF that opens only with a user password. */
    static byte[] encryptedPdf() {
        try (PDDocument pdf = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDPage page = new PDPage();
            pdf.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(pdf, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(60, 700);
                content.showText("Secret salaries");
                content.endText();
            }
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-pw", "user-pw", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            pdf.protect(policy);
            pdf.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DOCX with heading styles, two sections, a list-like paragraph and a table. */
    static byte[] docx() {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            doc.createStyles();
            headingStyle(doc, "Heading1", "heading 1");
            headingStyle(doc, "Heading2", "heading 2");
            paragraph(doc, "Heading1", "Travel Policy");
            paragraph(doc, null, "Employees may book economy flights for trips under six hours.");
            paragraph(doc, "Heading2", "Hotels");
            paragraph(doc, null, "Hotels must be booked through the travel portal.");
            XWPFTable table = doc.createTable(2, 2);
            table.getRow(0).getCell(0).setText("City");
            table.getRow(0).getCell(1).setText("Nightly limit");
            table.getRow(1).getCell(0).setText("London");
            table.getRow(1).getCell(1).setText("250 GBP");
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void headingStyle(XWPFDocument doc, String id, String name) {
        CTStyle style = CTStyle.Factory.newInstance();
        style.setStyleId(id);
        style.setType(STStyleType.PARAGRAPH);
        style.addNewName().setVal(name);
        doc.getStyles().addStyle(new org.apache.poi.xwpf.usermodel.XWPFStyle(style));
    }

    private static void paragraph(XWPFDocument doc, String style, String text) {
        XWPFParagraph paragraph = doc.createParagraph();
        if (style != null) {
            paragraph.setStyle(style);
        }
        paragraph.createRun().setText(text);
    }

    /** A PPTX with one text box per slide. */
    static byte[] pptx(List<String> slides) {
        try (XMLSlideShow show = new XMLSlideShow(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            for (String text : slides) {
                XSLFSlide slide = show.createSlide();
                slide.createTextBox().setText(text);
            }
            show.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An XLSX with two sheets of rows. */
    static byte[] xlsx() {
        try (XSSFWorkbook book = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            XSSFSheet budget = book.createSheet("Budget");
            row(budget, 0, "Item", "Cost");
            row(budget, 1, "Laptops", "12000");
            row(budget, 2, "Monitors", "3000");
            row(book.createSheet("Staff"), 0, "Name", "Team");
            book.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void row(XSSFSheet sheet, int index, String... cells) {
        XSSFRow row = sheet.createRow(index);
        for (int i = 0; i < cells.length; i++) {
            row.createCell(i).setCellValue(cells[i]);
        }
    }

    /**
     * A DOCX whose document part inflates enormously: {@code inflatedBytes} of one letter inside one run,
     * which deflate to about a thousandth of their size.
     */
    static byte[] zipBombDocx(int inflatedBytes) {
        byte[] template = docx();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(template));
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ZipOutputStream out = new ZipOutputStream(bytes)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("word/document.xml")) {
                    String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    int cut = xml.indexOf("Employees may");
                    out.write(xml.substring(0, cut).getBytes(StandardCharsets.UTF_8));
                    byte[] filler = new byte[1 << 20];
                    java.util.Arrays.fill(filler, (byte) 'a');
                    for (int written = 0; written < inflatedBytes; written += filler.length) {
                        out.write(filler);
                    }
                    out.write(xml.substring(cut).getBytes(StandardCharsets.UTF_8));
                } else {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
            out.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
