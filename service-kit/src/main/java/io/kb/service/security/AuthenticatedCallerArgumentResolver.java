package io.kb.service.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method's {@link AuthenticatedCaller} parameter the caller of the current request, read
 * from the bearer token that Spring Security validated for it. Nothing else in the request (headers, query,
 * body) is looked at. On a path open to anonymous callers a method that asks for the caller answers 401.
 */
public final class AuthenticatedCallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final CallerClaims claims;

    /** @param properties where the tenant and groups are in the token */
    public AuthenticatedCallerArgumentResolver(ServiceSecurityProperties properties) {
        this.claims = new CallerClaims(properties);
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return AuthenticatedCaller.class.equals(parameter.getParameterType());
    }

    @Override
    public AuthenticatedCaller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            return claims.read(token.getToken());
        }
        throw new AuthenticationCredentialsNotFoundException(
                parameter.getExecutable().getName() + " needs a caller, but no bearer token authenticated the request");
    }
}
