package org.charnwood.app.security.oauth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.accounts.SignedInPerson;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Standalone launch by staff ({@code launch/patient} without a {@code launch} id): before the app is authorised,
 * the member of staff picks the patient on {@link PatientPickerPage}, which mints a launch id for that patient and
 * sends the browser back to the authorisation request with it. Patients and carers need no picker: their own
 * record, or the one they care for, is the context.
 */
class StaffPatientPicker extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String scope = request.getParameter("scope");
        return !AuthorizeEndpoint.request(request) || scope == null
                || request.getParameter("launch") != null
                || Arrays.stream(scope.split(" ")).noneMatch("launch/patient"::equals);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof SignedInPerson person
                && person.kind() == Requester.Kind.STAFF) {
            // Back to the same request as a GET, whichever way it came, with the launch id the picker adds.
            String back = request.getRequestURI() + "?" + ("GET".equals(request.getMethod())
                    ? request.getQueryString() : asQuery(request));
            response.sendRedirect(PatientPickerPage.PATH + "?return=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }

    /** The parameters of a posted authorisation request, as a query string. */
    private static String asQuery(HttpServletRequest request) {
        StringBuilder query = new StringBuilder();
        request.getParameterMap().forEach((name, values) -> {
            for (String value : values) {
                query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return query.toString();
    }
}
