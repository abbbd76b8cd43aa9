package org.charnwood.app.audit;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.RequesterSource;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * The audit trail of the application's own web pages (the staff workspace, boards, referrals, scheduling, the
 * patient pages): they read and write the record through the repository, as the FHIR API does, and are recorded
 * as it is. Each page request gets an {@link AuditScope} for the person signed in, so that
 * <ul>
 *   <li>a change the page makes is recorded in its transaction as theirs (without a scope it would be recorded as
 *       the application's own);</li>
 *   <li>what the page read through the repository is recorded once, naming every patient whose data it read,
 *       after the handler has made the page's model and before the page is written, so the record is durable
 *       before any of the page is sent;</li>
 *   <li>a page that fails or is refused is recorded with its status.</li>
 * </ul>
 * The FHIR API records itself ({@code FhirEndpoint}) and is left alone here.
 */
final class PageAudit implements AsyncHandlerInterceptor {

    private static final String SCOPE = PageAudit.class.getName() + ".scope";

    private final AuditTrail trail;
    private final RequesterSource requesters;

    PageAudit(AuditTrail trail, RequesterSource requesters) {
        this.trail = trail;
        this.requesters = requesters;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!trail.enabled() || !(handler instanceof HandlerMethod) || request.getDispatcherType() != DispatcherType.REQUEST
                || isFhirApi(request)) {
            return true;
        }
        AuditScope scope = trail.open(request);
        scope.page();
        scope.requester(requesters.current(request));
        request.setAttribute(SCOPE, scope);
        return true;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                           ModelAndView modelAndView) {
        AuditScope scope = scope(request);
        if (scope != null && response.getStatus() < 400) {
            scope.pageViewed();
        }
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
                                Exception ex) {
        AuditScope scope = scope(request);
        if (scope == null) {
            return;
        }
        try {
            int status = response.getStatus();
            if (ex != null || status >= 400) {
                scope.pageFailed(status >= 400 ? status : 500);
            }
        } finally {
            scope.close();
            request.removeAttribute(SCOPE);
        }
    }

    /** A streamed page (a board's change events) carries no record data itself: only the thread is let go. */
    @Override
    public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
                                               Object handler) {
        AuditScope scope = scope(request);
        if (scope != null) {
            scope.close();
            request.removeAttribute(SCOPE);
        }
    }

    private static AuditScope scope(HttpServletRequest request) {
        return request.getAttribute(SCOPE) instanceof AuditScope scope ? scope : null;
    }

    private static boolean isFhirApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/fhir") || path.startsWith("/fhir/");
    }
}
