package org.charnwood.app.audit;

import org.charnwood.app.security.EmergencyAccessActivity;

import java.util.List;

/** Emergency access as the audit trail holds it: the records that name the grant. */
final class TrailEmergencyAccessActivity implements EmergencyAccessActivity {

    private final RecordAccessHistory history;

    TrailEmergencyAccessActivity(RecordAccessHistory history) {
        this.history = history;
    }

    @Override
    public List<Access> under(String grantId, String patientId, String fhirUser, int max) {
        return history.underGrant(grantId, patientId, fhirUser, max).stream()
                .map(a -> new Access(a.when(), a.what(), a.refused())).toList();
    }
}
