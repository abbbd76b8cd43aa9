package org.charnwood.app.audit;

import org.charnwood.app.security.RequestAimedAt;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
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
    private final AimedAt aimedAt;

    PageAudit(AuditTrail trail, RequesterSource requesters, AimedAt aimedAt) {
        this.trail = trail;
        this.requesters = requesters;
        this.aimedAt = aimedAt;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!trail.enabled() || !(handler instanceof HandlerMethod) || request.getDispatcherType() != DispatcherType.REQUEST
                || isFhirApi(request)) {
            return true;
        }
        // Who is asking is worked out before the scope is opened: if that failed, no scope is left on the thread.
        var requester = requesters.current(request);
        AuditScope scope = trail.open(request);
        scope.page(aimedAt);
        if (((HandlerMethod) handler).hasMethodAnnotation(AuditedAsSearch.class)) {
            scope.pageSearch();
        }
        scope.requester(requester);
        request.setAttribute(SCOPE, scope);
        return true;
    }

    /**
     * The handler is done and a view is about to be rendered: the record is committed now, before any of the page
     * is written. A redirect carries no record data, so it needs no record of what was read (the changes the
     * handler made were recorded in their transactions). A handler that writes its own body ({@code @ResponseBody},
     * {@code ResponseEntity}) has written it by now: {@link PageBodyAudit} records those just before the write.
     */
    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                           ModelAndView modelAndView) {
        AuditScope scope = scope(request);
        if (scope == null) {
            return;
        }
        if (modelAndView == null || isRedirect(modelAndView)) {
            if (RequestAimedAt.made(request) && response.getStatus() < 400) {
                // A redirect that carries what was made for a patient (a launch id): recorded naming them.
                scope.pageViewed();
            }
            scope.recordedAlready();
            return;
        }
        String notSaved = response.getStatus() < 400 ? notSaved(request, modelAndView) : null;
        if (notSaved != null) {
            scope.pageNotSaved(notSaved);
            return;
        }
        beforeWriting(request, response.getStatus());
    }

    /**
     * A form shown again with its problems ({@link FormErrors}: invalid, changed by someone else meanwhile,
     * refused): what the record says instead of a successful change, naming the fields (never what was typed),
     * or null when the page is not such a form.
     */
    private static String notSaved(HttpServletRequest request, ModelAndView modelAndView) {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            return null;
        }
        for (Object value : modelAndView.getModel().values()) {
            if (value instanceof FormErrors errors && !errors.isEmpty()) {
                StringBuilder fields = new StringBuilder();
                errors.problems().forEach(p -> fields.append(fields.isEmpty() ? "" : ", ").append(p.field()));
                return "Not done: the form was shown again with problems (" + fields + ")";
            }
        }
        return null;
    }

    /** Commits the page's record: a view of what it read, or its failure when its status is an error. */
    static void beforeWriting(HttpServletRequest request, int status) {
        AuditScope scope = scope(request);
        if (scope == null) {
            return;
        }
        if (status >= 400) {
            scope.pageFailed(status);
        } else {
            scope.pageViewed();
        }
    }

    private static boolean isRedirect(ModelAndView mav) {
        return mav.getView() instanceof org.springframework.web.servlet.view.RedirectView
                || (mav.getViewName() != null && mav.getViewName().startsWith("redirect:"));
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
            release(request, scope);
        }
    }

    /** A streamed page (a board's change events) carries no record data itself: only the thread is let go. */
    @Override
    public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
                                               Object handler) {
        AuditScope scope = scope(request);
        if (scope != null) {
            release(request, scope);
        }
    }

    /** The request is done with its scope: off the thread and off the request. */
    private static void release(HttpServletRequest request, AuditScope scope) {
        scope.close();
        request.removeAttribute(SCOPE);
    }

    static AuditScope scope(HttpServletRequest request) {
        return request.getAttribute(SCOPE) instanceof AuditScope scope ? scope : null;
    }

    private static boolean isFhirApi(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/fhir") || path.startsWith("/fhir/");
    }
}
