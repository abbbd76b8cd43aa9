package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.StaffPages;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** "My caseload": the signed-in practitioner's teams' open episodes and today's contacts. */
@Controller
@StaffPages
class CaseloadPages {

    private final MyCaseload caseloads;
    private final RequesterSource requesters;

    CaseloadPages(MyCaseload caseloads, RequesterSource requesters) {
        this.caseloads = caseloads;
        this.requesters = requesters;
    }

    @GetMapping("/staff/caseload")
    String caseload(HttpServletRequest request, Model model) {
        model.addAttribute("caseload", caseloads.of(requesters.current(request).fhirUser()));
        return "workspace/caseload";
    }
}
