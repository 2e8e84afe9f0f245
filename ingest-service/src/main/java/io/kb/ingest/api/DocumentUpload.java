package io.kb.ingest.api;

import java.util.List;
import java.util.Map;

/**
 * The {@code application/json} body of {@code POST /api/v1/documents}: a document event without the tenant (always
 * the caller's) and with the content's one form ({@code text}, {@code base64} or {@code reference}) at the top.
 *
 * @param documentId the document's id within the caller's tenant; {@code /} allowed
 * @param title      the title shown in citations; optional
 * @param source     where the document came from (a URL, a system's name); optional
 * @param acl        the principals that may read it: {@code public}, {@code user:<id>}, {@code group:<name>}
 * @param version    the version; optional, default the current time in milliseconds
 * @param mediaType  a supported media type; optional, absent means "detect from the content"
 * @param metadata   free key-value pairs kept with the chunks; optional
 * @param text       the document as text
 * @param base64     the document's bytes in base64
 * @param reference  an {@code http(s):} or {@code s3:} URI to fetch the document from
 */
public record DocumentUpload(
        String documentId,
        String title,
        String source,
        List<String> acl,
        Long version,
        String mediaType,
        Map<String, String> metadata,
        String text,
        String base64,
        String reference) {
}
