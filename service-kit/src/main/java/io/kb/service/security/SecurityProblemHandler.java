package io.kb.service.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Answers the refusals of the security filter chain (no token, a bad token, no right) the way the service
 * answers every other error: it hands the exception to Spring MVC's exception resolvers, so that
 * {@link io.kb.service.web.ProblemDetailsHandler} writes the RFC 9457 problem with its stable type and the
 * request id, instead of Spring Security's empty 401 or 403.
 */
final class SecurityProblemHandler implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler {

    private final HandlerExceptionResolver resolver;

    SecurityProblemHandler(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        resolve(request, response, e, HttpStatus.UNAUTHORIZED);
    }

    // The bearer-token filter reports a rejected token here; unlike its default, this also answers (with a
    // problem) when the keys could not be fetched, instead of letting the exception escape the filter chain.
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException e) throws IOException {
        resolve(request, response, e, HttpStatus.UNAUTHORIZED);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        resolve(request, response, e, HttpStatus.FORBIDDEN);
    }

    private void resolve(HttpServletRequest request, HttpServletResponse response, Exception e, HttpStatus fallback)
            throws IOException {
        if (resolver.resolveException(request, response, null, e) == null && !response.isCommitted()) {
            response.sendError(fallback.value());
        }
    }
}
