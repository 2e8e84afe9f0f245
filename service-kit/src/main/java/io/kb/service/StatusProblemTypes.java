package io.kb.service;

import java.net.URI;

import io.kb.contracts.http.ProblemTypes;

/** The stable problem {@code type} that goes with an HTTP status, for problems raised without one. */
public final class StatusProblemTypes {

    private StatusProblemTypes() {
    }

    /**
     * @param status an HTTP status code
     * @return the problem type that the platform uses for it
     */
    public static URI forStatus(int status) {
        return switch (status) {
            case 400, 422 -> ProblemTypes.VALIDATION;
            case 401 -> ProblemTypes.UNAUTHORIZED;
            case 403 -> ProblemTypes.FORBIDDEN;
            case 404, 405 -> ProblemTypes.NOT_FOUND;
            case 413 -> ProblemTypes.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemTypes.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemTypes.RATE_LIMITED;
            case 502, 504 -> ProblemTypes.UPSTREAM_UNAVAILABLE;
            case 503 -> ProblemTypes.OVERLOADED;
            default -> status >= 400 && status < 500 ? ProblemTypes.VALIDATION : ProblemTypes.INTERNAL;
        };
    }
}
