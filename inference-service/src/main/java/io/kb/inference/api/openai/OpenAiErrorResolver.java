package io.kb.inference.api.openai;

import io.kb.inference.degrade.AnswerInterruptedException;
import io.kb.inference.degrade.NoTierAvailableException;
import io.kb.inference.retrieve.RetrievalUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers every failure of a request under {@code /v1/} with an error in OpenAI's shape ({@link OpenAiError})
 * instead of a problem: bad input, a refused token, an unknown path, an unavailable pipeline. Other paths are left
 * to the service's problem handler.
 *
 * <p>It sits first in the resolver chain that Spring MVC and the security filter chain's refusals both go through
 * (see {@link OpenAiApiConfiguration}); an exception handler in a controller advice would never be asked, because
 * service-kit's problem handler has the highest precedence and takes every exception.
 */
final class OpenAiErrorResolver implements HandlerExceptionResolver {

    /** The path prefix of the OpenAI-compatible API. */
    static final String PREFIX = "/v1/";

    private static final Logger log = LoggerFactory.getLogger(OpenAiErrorResolver.class);
    private static final int MAX_MESSAGE = 300;

    private final JsonMapper json;

    OpenAiErrorResolver(JsonMapper json) {
        this.json = json;
    }

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception e) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!path.startsWith(PREFIX) || response.isCommitted()) {
            return null;
        }
        OpenAiApiException error = of(e);
        try {
            response.resetBuffer();
            response.setStatus(error.status().value());
            if (error.status() == HttpStatus.UNAUTHORIZED) {
                // RFC 6750: an error code only when a token was presented; nothing on what was wrong with it.
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
                        e instanceof OAuth2AuthenticationException ? "Bearer error=\"invalid_token\"" : "Bearer");
            } else if (e instanceof ErrorResponse known) {
                known.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
            }
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            response.getOutputStream().write(json.writeValueAsBytes(error.body()));
            response.flushBuffer();
        } catch (IOException | IllegalStateException written) {
            log.debug("could not write the error of {}: {}", path, written.toString());
        }
        return new ModelAndView();
    }

    /** The OpenAI error a failure becomes. */
    static OpenAiApiException of(Throwable e) {
        if (e instanceof OpenAiApiException known) {
            return known;
        }
        if (e instanceof RetrievalUnavailableException) {
            return server(HttpStatus.SERVICE_UNAVAILABLE, "retrieval_unavailable",
                    "The knowledge base cannot be searched right now; try again shortly.", e);
        }
        if (e instanceof NoTierAvailableException) {
            return server(HttpStatus.SERVICE_UNAVAILABLE, "no_tier_available",
                    "No generator can answer right now: " + e.getMessage(), e);
        }
        if (e instanceof AnswerInterruptedException) {
            return server(HttpStatus.BAD_GATEWAY, "answer_interrupted",
                    "The answer was cut off midway: " + e.getMessage(), e);
        }
        if (e instanceof AuthenticationServiceException) {
            log.warn("cannot validate bearer tokens: {}", e.getMessage());
            return server(HttpStatus.BAD_GATEWAY, "token_issuer_unavailable",
                    "The service cannot check API keys right now; try again later.", e);
        }
        if (e instanceof AuthenticationException) {
            // Which check failed stays in the debug log: telling the caller would help whoever forges tokens.
            log.debug("request not authenticated: {}", e.getMessage());
            return new OpenAiApiException(HttpStatus.UNAUTHORIZED, OpenAiError.INVALID_REQUEST, "invalid_api_key",
                    null, "The API key must be a valid bearer token of this platform (log in for one).", e);
        }
        if (e instanceof AccessDeniedException) {
            return new OpenAiApiException(HttpStatus.FORBIDDEN, OpenAiError.INVALID_REQUEST, "permission_denied",
                    null, "The API key is valid but does not allow this request.", e);
        }
        if (e instanceof HttpMessageNotReadableException) {
            return new OpenAiApiException(HttpStatus.BAD_REQUEST, OpenAiError.INVALID_REQUEST, "invalid_json", null,
                    "The request body is not a valid chat completion request: " + firstLine(
                            NestedExceptionUtils.getMostSpecificCause(e).getMessage()), e);
        }
        if (e instanceof ErrorResponse known) {
            HttpStatus status = HttpStatus.valueOf(known.getStatusCode().value());
            String detail = known.getBody().getDetail();
            return new OpenAiApiException(status,
                    status.is5xxServerError() ? OpenAiError.SERVER_ERROR : OpenAiError.INVALID_REQUEST,
                    status == HttpStatus.NOT_FOUND ? "not_found" : null, null,
                    detail == null ? status.getReasonPhrase() : detail, e);
        }
        log.error("OpenAI-compatible request failed", e);
        return server(HttpStatus.INTERNAL_SERVER_ERROR, null,
                "The service failed to handle the request; quote the X-Request-Id when reporting it.", e);
    }

    private static OpenAiApiException server(HttpStatus status, String code, String message, Throwable cause) {
        return new OpenAiApiException(status, OpenAiError.SERVER_ERROR, code, null, message, cause);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.lines().findFirst().orElse("").strip();
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "...";
    }
}
