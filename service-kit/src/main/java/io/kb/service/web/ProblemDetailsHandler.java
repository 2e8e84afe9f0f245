package io.kb.service.web;

import java.net.URI;
import java.util.List;

import io.kb.contracts.ContractViolationException;
import io.kb.contracts.http.ProblemTypes;
import io.kb.service.StatusProblemTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of a Spring MVC service into an RFC 9457 problem with a stable {@code type}
 * ({@link ProblemTypes}), the request id, and for bad input the fields at fault. The security filter chain's
 * refusals (401, 403) come here too, so they look like every other problem. Unexpected failures
 * become a 500 whose body says nothing of the internals; the log has the details under the same id.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemDetailsHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsHandler.class);

    /** One field at fault, as listed in the {@code errors} member of a validation problem. */
    public record FieldProblem(String field, String message) {
    }

    @ExceptionHandler(ContractViolationException.class)
    ResponseEntity<Object> contractViolation(ContractViolationException e, WebRequest request) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        body.setTitle("Invalid request");
        body.setProperty("errors", List.of(new FieldProblem(e.field(), e.getMessage())));
        return handleExceptionInternal(e, body, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /**
     * No token, or one that failed a check. The problem never says which check: a caller probing the rules
     * learns nothing, and the debug log has the reason under the request id.
     */
    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> unauthenticated(AuthenticationException e, WebRequest request) {
        log.debug("request not authenticated: {}", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "The request needs a valid bearer token.");
        body.setTitle("Unauthorized");
        HttpHeaders headers = new HttpHeaders();
        // RFC 6750: an error code only when a token was presented; no description of what was wrong with it.
        headers.set(HttpHeaders.WWW_AUTHENTICATE,
                e instanceof OAuth2AuthenticationException ? "Bearer error=\"invalid_token\"" : "Bearer");
        return handleExceptionInternal(e, body, headers, HttpStatus.UNAUTHORIZED, request);
    }

    /** The token could not be checked at all, typically because the issuer's keys could not be fetched. */
    @ExceptionHandler(AuthenticationServiceException.class)
    ResponseEntity<Object> tokenCheckUnavailable(AuthenticationServiceException e, WebRequest request) {
        log.warn("cannot validate bearer tokens: {}", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_GATEWAY,
                "The service cannot check bearer tokens right now; try again later.");
        body.setTitle("Token issuer unavailable");
        return handleExceptionInternal(e, body, new HttpHeaders(), HttpStatus.BAD_GATEWAY, request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> forbidden(AccessDeniedException e, WebRequest request) {
        log.debug("access denied: {}", e.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "The caller may not do this.");
        body.setTitle("Forbidden");
        return handleExceptionInternal(e, body, new HttpHeaders(), HttpStatus.FORBIDDEN, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        log.error("unhandled error", e);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The service failed to handle the request; quote the request id when reporting it.");
        body.setTitle("Internal error");
        return handleExceptionInternal(e, body, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(f.getField(), messageOf(f)))
                .toList();
        ProblemDetail body = e.getBody();
        body.setTitle("Invalid request");
        body.setDetail(summary(errors));
        body.setProperty("errors", errors);
        return handleExceptionInternal(e, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> new FieldProblem(r.getMethodParameter().getParameterName(), err.getDefaultMessage())))
                .toList();
        ProblemDetail body = e.getBody();
        body.setTitle("Invalid request");
        body.setDetail(summary(errors));
        body.setProperty("errors", errors);
        return handleExceptionInternal(e, body, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        if (body instanceof ProblemDetail problem) {
            if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
                problem.setType(StatusProblemTypes.forStatus(status.value()));
            }
            Object id = request.getAttribute(RequestIdFilter.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
            if (id != null) {
                problem.setProperty("requestId", id);
            }
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static String messageOf(FieldError error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static String summary(List<FieldProblem> errors) {
        if (errors.isEmpty()) {
            return "The request is invalid.";
        }
        return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.message()).toList());
    }
}
