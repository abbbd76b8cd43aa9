package org.charnwood.app.workspace;

import java.util.List;

/**
 * One line of a ward board or team caseload.
 *
 * @param place       the bed ("Bed 03"), or the service for a community patient
 * @param patientId   the patient in it; null for an empty bed
 * @param patientName "SURNAME, Given"
 * @param nhsNumber   3-3-4
 * @param latest      the latest NEWS2 score; null when none
 * @param trend       the recent scores as a sparkline
 * @param escalations the open escalations for the patient
 * @param due         when observations are next due, in words
 * @param overdue     whether they are overdue now
 */
record BoardRow(String place, String patientId, String patientName, String nhsNumber, News2Point latest,
                News2Trend trend, List<OpenEscalation> escalations, String due, boolean overdue) {

    public boolean occupied() {
        return patientId != null;
    }
}
