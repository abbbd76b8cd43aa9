package org.charnwood.app.workspace;

import org.charnwood.app.web.StaffPages;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/** The patient's record summary, under the patient banner. */
@Controller
@StaffPages
class PatientRecordPages {

    private final PatientBanners banners;
    private final RecordSummaries summaries;

    PatientRecordPages(PatientBanners banners, RecordSummaries summaries) {
        this.banners = banners;
        this.summaries = summaries;
    }

    @GetMapping("/staff/patients/{patientId}")
    String summary(@PathVariable String patientId, Model model) {
        model.addAttribute("banner", banner(banners, patientId));
        model.addAttribute("summary", summaries.summary(patientId));
        return "workspace/record-summary";
    }

    static PatientBanner banner(PatientBanners banners, String patientId) {
        return banners.banner(patientId)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such patient"));
    }
}
