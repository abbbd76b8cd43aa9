package org.charnwood.app.web;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequesterSource;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Adds what the shared layout needs (the signed-in user) to every staff page. */
@ControllerAdvice(annotations = StaffPages.class)
class StaffPageModel {

    private final RequesterSource requesters;

    StaffPageModel(RequesterSource requesters) {
        this.requesters = requesters;
    }

    @ModelAttribute("signedInUser")
    SignedInUser signedInUser(HttpServletRequest request) {
        return SignedInUser.of(requesters.current(request));
    }
}
