package org.charnwood.app.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import java.util.List;

/**
 * Why a page refused what the person asked, in their words, and what they can do instead: carried to the error
 * page (which otherwise knows only the status) as a request attribute, since error responses carry no message.
 *
 * @param heading  what happened ("Your emergency access to this record has ended")
 * @param advice   what to do now, and that nothing was saved
 * @param link     where to go next (a path of ours), or null
 * @param linkText the words of that link
 * @param entered  what the person typed into the refused form, shown back to them unsaved so it is not lost
 */
public record PageRefusal(String heading, String advice, String link, String linkText, List<String> entered) {

    static final String ATTRIBUTE = PageRefusal.class.getName();

    /** Records the refusal for the error page and gives the 403 to throw. */
    public ResponseStatusException forbid(HttpServletRequest request, Throwable cause) {
        request.setAttribute(ATTRIBUTE, this);
        return new ResponseStatusException(HttpStatus.FORBIDDEN, heading, cause);
    }

    /**
     * What was typed into a posted form, value by value, leaving out the fields the form fills in itself (the
     * CSRF token, the version it was opened at, ids).
     */
    public static List<String> entered(HttpServletRequest request) {
        if (!"POST".equals(request.getMethod())) {
            return List.of();
        }
        return request.getParameterMap().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("_") && !e.getKey().equals("version")
                        && !e.getKey().endsWith("Id") && !e.getKey().endsWith("Code")
                        && !e.getKey().endsWith("System"))
                .flatMap(e -> java.util.Arrays.stream(e.getValue()))
                .filter(v -> v != null && !v.isBlank())
                .toList();
    }
}
