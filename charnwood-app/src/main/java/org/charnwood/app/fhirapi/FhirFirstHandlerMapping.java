package org.charnwood.app.fhirapi;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request mapping that sends {@code /fhir/...} to {@link FhirEndpoint} without first comparing the path with every
 * mapping of the application. Spring MVC finds a handler by direct path when it can, and otherwise tries every
 * registered mapping; a FHIR path ({@code /fhir/Patient/123}) is never a direct path, so each FHIR request paid
 * for matching the staff pages' hundred or so patterns (about a tenth of a search's request thread).
 *
 * <p>The answer is the same as the full lookup's: mappings that could compete for a FHIR path (those under
 * {@code /fhir}, such as the SMART configuration, and any whose first segment is a pattern) are tried first, and
 * when one matches, or the request is a CORS pre-flight, the full lookup decides as before.
 */
@Configuration(proxyBeanMethods = false)
class FhirFirstHandlerMapping {

    @Bean
    WebMvcRegistrations fhirFirstRegistrations() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new Mapping();
            }
        };
    }

    static final class Mapping extends RequestMappingHandlerMapping {

        private static final String PREFIX = "/fhir/";

        /** The FHIR endpoint's mapping and method, and its rivals; null when there is no FHIR endpoint. */
        private Resolved resolved;

        private record Resolved(RequestMappingInfo fhir, HandlerMethod endpoint, List<RequestMappingInfo> rivals) {
        }

        @Override
        protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
            if (lookupPath.startsWith(PREFIX) && !CorsUtils.isPreFlightRequest(request)) {
                Resolved r = resolved;
                if (r != null && r.rivals().stream().noneMatch(info -> getMatchingMapping(info, request) != null)) {
                    RequestMappingInfo match = getMatchingMapping(r.fhir(), request);
                    if (match != null) {
                        request.setAttribute(BEST_MATCHING_HANDLER_ATTRIBUTE, r.endpoint());
                        handleMatch(match, lookupPath, request);
                        return r.endpoint();
                    }
                }
            }
            return super.lookupHandlerMethod(lookupPath, request);
        }

        /** Finds the endpoint and its rivals once every controller's mappings are registered. */
        @Override
        public void afterPropertiesSet() {
            super.afterPropertiesSet();
            resolved = resolve(getHandlerMethods());
        }

        private static Resolved resolve(Map<RequestMappingInfo, HandlerMethod> methods) {
            RequestMappingInfo fhir = null;
            HandlerMethod endpoint = null;
            List<RequestMappingInfo> rivals = new ArrayList<>();
            for (Map.Entry<RequestMappingInfo, HandlerMethod> e : methods.entrySet()) {
                if (FhirEndpoint.class.isAssignableFrom(e.getValue().getBeanType())) {
                    fhir = e.getKey();
                    endpoint = e.getValue();
                } else if (e.getKey().getPatternValues().stream().anyMatch(Mapping::couldMatchFhirPaths)) {
                    rivals.add(e.getKey());
                }
            }
            return fhir == null ? null : new Resolved(fhir, endpoint, List.copyOf(rivals));
        }

        /** Whether a pattern might match some {@code /fhir/...} path: it is under {@code /fhir}, or starts with a variable. */
        private static boolean couldMatchFhirPaths(String pattern) {
            return pattern.startsWith("/fhir") || !pattern.startsWith("/") || pattern.length() < 2
                    || pattern.charAt(1) == '{' || pattern.charAt(1) == '*';
        }
    }
}
