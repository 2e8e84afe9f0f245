package io.kb.contracts.http;

import java.net.URI;

/**
 * The {@code type} of every RFC 9457 problem the platform returns, one per kind of failure.
 *
 * <p>They are URNs ({@code urn:kb:problem:<slug>}) rather than URLs: a type is an identifier that
 * clients compare, and a URN stays stable without a domain to own or a page to keep online, and no
 * client is tempted to fetch it. The slugs never change meaning; a new kind of failure gets a new slug.
 */
public final class ProblemTypes {

    /** The request breaks a rule; the problem names the field (400, 422). */
    public static final URI VALIDATION = URI.create("urn:kb:problem:validation");

    /** The resource does not exist, or the caller may not know that it does (404). */
    public static final URI NOT_FOUND = URI.create("urn:kb:problem:not-found");

    /** No valid credentials (401). */
    public static final URI UNAUTHORIZED = URI.create("urn:kb:problem:unauthorized");

    /** Valid credentials without the right to do this (403). */
    public static final URI FORBIDDEN = URI.create("urn:kb:problem:forbidden");

    /** The caller sent too many requests; {@code Retry-After} says when to try again (429). */
    public static final URI RATE_LIMITED = URI.create("urn:kb:problem:rate-limited");

    /** The service is past its capacity and sheds load; {@code Retry-After} says when to try again (503). */
    public static final URI OVERLOADED = URI.create("urn:kb:problem:overloaded");

    /** The request body is larger than the limit (413). */
    public static final URI PAYLOAD_TOO_LARGE = URI.create("urn:kb:problem:payload-too-large");

    /** The request's content type, or the document's media type, is not supported (415). */
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("urn:kb:problem:unsupported-media-type");

    /** A service this one depends on failed or timed out (502, 504). */
    public static final URI UPSTREAM_UNAVAILABLE = URI.create("urn:kb:problem:upstream-unavailable");

    /** An unexpected failure; the request id leads to the logs (500). */
    public static final URI INTERNAL = URI.create("urn:kb:problem:internal");

    private ProblemTypes() {
    }
}
