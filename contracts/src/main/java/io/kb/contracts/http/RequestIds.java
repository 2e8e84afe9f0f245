package io.kb.contracts.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id that follows one request from the gateway through every service and log line.
 *
 * <p>The edge accepts a caller's {@value #HEADER} only when it is 1 to 128 characters of
 * {@code A-Z a-z 0-9 . _ : -}, and replaces anything else with a new id. Since the id is written
 * into every log line, this rule is what keeps a caller from injecting line breaks or markup into
 * the logs.
 */
public final class RequestIds {

    /** The HTTP header that carries the id, in requests and responses. */
    public static final String HEADER = "X-Request-Id";

    /** The key of the id in the logging MDC (and in the Reactor context at the gateway). */
    public static final String MDC_KEY = "requestId";

    /** The longest id accepted from a caller. */
    public static final int MAX_LENGTH = 128;

    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {
    }

    /** Whether a caller's id may be kept as it is; {@code null} may not. */
    public static boolean isAcceptable(String candidate) {
        return candidate != null && ACCEPTABLE.matcher(candidate).matches();
    }

    /**
     * A new id: 32 random lower-case hex characters. Ids correlate logs and are no secret, so a fast
     * non-cryptographic generator is enough.
     */
    public static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
    }

    /**
     * @param candidate the caller's {@value #HEADER}, or {@code null} when there is none
     * @return {@code candidate} when it is acceptable, otherwise a new id
     */
    public static String acceptOrCreate(String candidate) {
        return isAcceptable(candidate) ? candidate : newId();
    }
}
