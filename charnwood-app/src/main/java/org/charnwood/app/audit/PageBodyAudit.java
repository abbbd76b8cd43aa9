package org.charnwood.app.audit;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * For handlers outside the FHIR API that write their own body (JSON such as a service's waiting list, or a
 * {@code ResponseEntity} of HTML): the page's record ({@link PageAudit}) is committed just before the body is
 * written, so that, as for a rendered page, nothing of it is sent before its record is durable.
 */
@ControllerAdvice
class PageBodyAudit implements ResponseBodyAdvice<Object> {

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
                                  Class<? extends HttpMessageConverter<?>> selectedConverterType,
                                  ServerHttpRequest request, ServerHttpResponse response) {
        if (request instanceof ServletServerHttpRequest servlet) {
            HttpServletRequest http = servlet.getServletRequest();
            if (PageAudit.scope(http) != null) {
                int status = response instanceof ServletServerHttpResponse r ? r.getServletResponse().getStatus() : 200;
                PageAudit.beforeWriting(http, status);
            }
        }
        return body;
    }
}
