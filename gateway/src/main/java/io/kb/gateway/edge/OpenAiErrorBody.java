package io.kb.gateway.edge;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The edge's problem for a request to the OpenAI-compatible API ({@code /v1/**}), in OpenAI's error shape
 * {@code {"error": {"message", "type", "param", "code"}}}, which OpenAI client libraries turn into their typed
 * exceptions (authentication, rate limit, ...). The code is the problem type's name ({@code upstream_unavailable},
 * {@code payload_too_large}...), except where OpenAI has a code clients know: {@code invalid_api_key} for a 401 and
 * {@code rate_limit_exceeded} for a 429.
 */
final class OpenAiErrorBody {

    /** The path prefix of the OpenAI-compatible API. */
    static final String PREFIX = "/v1/";

    private static final String PROBLEM_PREFIX = "urn:kb:problem:";

    private OpenAiErrorBody() {
    }

    static boolean applies(String path) {
        return path.startsWith(PREFIX);
    }

    static Map<String, Object> of(ProblemDetail problem) {
        int status = problem.getStatus();
        String type;
        String code;
        if (status == HttpStatus.UNAUTHORIZED.value()) {
            type = "invalid_request_error";
            code = "invalid_api_key";
        } else if (status == HttpStatus.TOO_MANY_REQUESTS.value()) {
            type = "requests";
            code = "rate_limit_exceeded";
        } else {
            type = status >= 500 ? "server_error" : "invalid_request_error";
            code = codeOf(problem.getType());
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", problem.getDetail() != null ? problem.getDetail()
                : problem.getTitle() != null ? problem.getTitle() : HttpStatus.valueOf(status).getReasonPhrase());
        error.put("type", type);
        error.put("param", null);
        error.put("code", code);
        return Map.of("error", error);
    }

    private static String codeOf(URI problemType) {
        String type = problemType == null ? "" : problemType.toString();
        return type.startsWith(PROBLEM_PREFIX) ? type.substring(PROBLEM_PREFIX.length()).replace('-', '_') : null;
    }
}
