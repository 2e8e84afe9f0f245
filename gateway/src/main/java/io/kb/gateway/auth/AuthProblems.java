package io.kb.gateway.auth;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The refusals of the edge's security, as exceptions that the edge's problem handler renders as RFC 9457
 * problems (with the request id) and whose headers it copies, so a 401 always carries its
 * {@code WWW-Authenticate} challenge (RFC 6750). Details say what the caller can do, never which check failed
 * on a token or which half of a login was wrong.
 */
final class AuthProblems {

    private AuthProblems() {
    }

    /** No bearer token came with a request that needs one. */
    static ErrorResponseException missingToken() {
        return unauthorized("Bearer realm=\"kb\"",
                "This API needs a bearer token in the Authorization header.");
    }

    /**
     * The bearer token was refused: malformed, forged, expired, or issued for another issuer, audience or
     * without a tenant.
     *
     * @param error the RFC 6750 error code, {@code invalid_token} or {@code invalid_request}
     */
    static ErrorResponseException invalidToken(String error) {
        return unauthorized("Bearer realm=\"kb\", error=\"" + error + "\"",
                "The bearer token is not valid: it is malformed, expired, or not issued for this platform. "
                        + "Log in again for a new one.");
    }

    /** The user name or the password given to the local issuer is wrong; which one is not said. */
    static ErrorResponseException badCredentials() {
        return unauthorized("Bearer realm=\"kb\"", "The user name or the password is not correct.");
    }

    /** The caller is known but may not do this. */
    static ErrorResponseException forbidden() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN,
                "The token is valid but does not allow this request.");
        problem.setTitle("Forbidden");
        return new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
    }

    private static ErrorResponseException unauthorized(String challenge, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
        problem.setTitle("Unauthorized");
        ErrorResponseException exception = new ErrorResponseException(HttpStatus.UNAUTHORIZED, problem, null);
        exception.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return exception;
    }
}
