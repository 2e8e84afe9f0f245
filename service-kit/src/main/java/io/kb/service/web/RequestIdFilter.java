package io.kb.service.web;

import java.io.IOException;

import io.kb.contracts.http.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is well formed (the gateway sets
 * one), a fresh one otherwise. The id is put in the logging MDC for the request's lifetime, exposed as a
 * request attribute for problem details, and returned in the response header.
 */
public class RequestIdFilter extends OncePerRequestFilter {

    /** Request attribute under which the id is available to handlers. */
    public static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
        request.setAttribute(ATTRIBUTE, id);
        response.setHeader(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(RequestIds.MDC_KEY);
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }
}
