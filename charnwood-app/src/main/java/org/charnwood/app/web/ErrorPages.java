package org.charnwood.app.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.RequesterSource;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.view.json.JacksonJsonView;

import java.util.List;
import java.util.Map;

/**
 * The error page, in place of Spring Boot's: the public directory and self-referral pages ({@code /services/**})
 * get it in their own public layout; a patient or carer (on their own pages, {@code /my/**}, or signed in
 * as one anywhere) gets it in the patient layout, whatever their browser says it accepts, since those addresses
 * are pages and never an API; staff get it in the staff layout. It says in plain words what happened for the
 * common statuses (400, 403, 404) and what to do, and for a refusal the page explained ({@link PageRefusal}), its
 * words. Other callers asking for something other than HTML get the same JSON as before, without message or
 * trace.
 */
@Controller
class ErrorPages implements ErrorController {

    private final ErrorAttributes errorAttributes;
    private final StaffPageModel staffLayout;
    private final RequesterSource requesters;

    ErrorPages(ErrorAttributes errorAttributes, StaffPageModel staffLayout, RequesterSource requesters) {
        this.errorAttributes = errorAttributes;
        this.staffLayout = staffLayout;
        this.requesters = requesters;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ModelAndView error(HttpServletRequest request) {
        Map<String, Object> body = errorAttributes.getErrorAttributes(new ServletWebRequest(request),
                ErrorAttributeOptions.defaults());
        int status = body.get("status") instanceof Integer s ? s : 500;
        boolean publicSide = publicSide(request);
        boolean patientSide = !publicSide && patientSide(request);
        ModelAndView answer;
        if (publicSide || patientSide || acceptsHtml(request)) {
            answer = new ModelAndView(publicSide ? "referrals/error" : patientSide ? "patient/error" : "error");
            answer.addObject("status", status);
            answer.addObject("refusal", request.getAttribute(PageRefusal.ATTRIBUTE) instanceof PageRefusal refusal
                    ? refusal : expiredForm(request, status));
            if (!patientSide && !publicSide) {
                answer.addObject("signedInUser", signedInUser(request));
            }
        } else {
            JacksonJsonView json = new JacksonJsonView();
            json.setModelKey("error");
            json.setExtractValueFromSingleKeyModel(true);
            answer = new ModelAndView(json, "error", body);
        }
        answer.setStatus(HttpStatusCode.valueOf(status));
        return answer;
    }

    /**
     * A form refused for its CSRF token: almost always one left open past the end of its session (timed out, or
     * signed out in another tab), not a lack of permission, so the page says that and what to do rather than
     * "your role does not allow it". Null for any other error.
     */
    private static PageRefusal expiredForm(HttpServletRequest request, int status) {
        if (status != 403 || !(request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof CsrfException)) {
            return null;
        }
        return new PageRefusal("This page has expired",
                "Nothing was saved. For your security, a form stops working once you are signed out, which happens"
                        + " after you have not used the service for a while. Sign in again, then go back to the page"
                        + " and try again.", "/signin", "Sign in again", PageRefusal.entered(request));
    }

    /** Who the staff layout says is signed in; an error page shows even when that cannot be worked out. */
    private SignedInUser signedInUser(HttpServletRequest request) {
        try {
            return staffLayout.signedInUser(request);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The path that failed, without the context path. */
    private static String failedPath(HttpServletRequest request) {
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String p ? p : "";
        String context = request.getContextPath();
        return !context.isEmpty() && path.startsWith(context) ? path.substring(context.length()) : path;
    }

    /** The public service directory and self-referral pages, where nobody is signed in: always a page. */
    private static boolean publicSide(HttpServletRequest request) {
        String path = failedPath(request);
        return path.equals("/services") || path.startsWith("/services/");
    }

    private boolean patientSide(HttpServletRequest request) {
        String path = failedPath(request);
        if (path.equals("/my") || path.startsWith("/my/")) {
            return true;
        }
        try {
            Requester.Kind kind = requesters.current(request).kind();
            return kind == Requester.Kind.PATIENT || kind == Requester.Kind.CARER;
        } catch (RuntimeException e) {
            return false; // an error page shows even when the caller cannot be worked out
        }
    }

    private static boolean acceptsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        if (accept == null) {
            return false;
        }
        try {
            List<MediaType> types = MediaType.parseMediaTypes(accept);
            return types.stream().anyMatch(t -> t.getType().equals("text") && t.getSubtype().equals("html"));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
