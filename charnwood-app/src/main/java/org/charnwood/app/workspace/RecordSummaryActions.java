package org.charnwood.app.workspace;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;

import java.util.List;

/**
 * Adds to the record summary what its contact and discharge actions need (the patient's open episodes, each with
 * a Discharge link), from the pages that own those actions rather than from the summary itself.
 */
@ControllerAdvice(assignableTypes = PatientRecordPages.class)
class RecordSummaryActions {

    private final ClinicalRecord record;

    RecordSummaryActions(ClinicalRecord record) {
        this.record = record;
    }

    @ModelAttribute("openEpisodes")
    List<ContactPages.EpisodeChoice> openEpisodes(@PathVariable("patientId") String patientId) {
        return ContactPages.openEpisodes(record, patientId).stream().map(ContactPages::choice).toList();
    }
}
