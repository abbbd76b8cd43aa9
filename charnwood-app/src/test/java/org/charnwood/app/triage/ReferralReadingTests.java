package org.charnwood.app.triage;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/** How the contract's resources are read into clock inputs: target durations, contacts and the received time. */
class ReferralReadingTests {

    private static Duration duration(double value, String code) {
        Duration d = new Duration();
        d.setValue(value);
        d.setCode(code);
        return d;
    }

    @Test
    void pathwayTargetsAreReadInUcumUnits() {
        assertThat(ReferralRecords.duration(duration(120, "min"))).isEqualTo(java.time.Duration.ofHours(2));
        assertThat(ReferralRecords.duration(duration(2, "d"))).isEqualTo(java.time.Duration.ofDays(2));
        assertThat(ReferralRecords.duration(duration(1.5, "h"))).isEqualTo(java.time.Duration.ofMinutes(90));
        assertThat(ReferralRecords.duration(duration(18, "wk"))).isEqualTo(java.time.Duration.ofDays(126));
        assertThat(ReferralRecords.duration(duration(3, "mo"))).as("months are not a fixed length").isNull();
    }

    private static Encounter contact(String cls, Encounter.EncounterStatus status) {
        Encounter e = new Encounter();
        e.setStatus(status);
        e.setClass_(new Coding(ReferralCodes.ACT_CODE, cls, cls));
        e.setPeriod(new Period().setStart(Date.from(Instant.parse("2026-06-01T10:00:00Z"))));
        return e;
    }

    @Test
    void homeVisitsAndClinicAttendancesAreFaceToFaceAndCallsAreVirtual() {
        assertThat(ReferralRecords.contact(contact("HH", Encounter.EncounterStatus.FINISHED)).kind())
                .isEqualTo(ClockEvent.Kind.FACE_TO_FACE_CONTACT);
        assertThat(ReferralRecords.contact(contact("AMB", Encounter.EncounterStatus.INPROGRESS)).kind())
                .isEqualTo(ClockEvent.Kind.FACE_TO_FACE_CONTACT);
        assertThat(ReferralRecords.contact(contact("VR", Encounter.EncounterStatus.FINISHED)).kind())
                .isEqualTo(ClockEvent.Kind.VIRTUAL_CONTACT);
        assertThat(ReferralRecords.contact(contact("IMP", Encounter.EncounterStatus.FINISHED)).kind())
                .isEqualTo(ClockEvent.Kind.OTHER_CONTACT);
    }

    @Test
    void plannedOrCancelledContactsStopNothing() {
        assertThat(ReferralRecords.contact(contact("HH", Encounter.EncounterStatus.PLANNED))).isNull();
        assertThat(ReferralRecords.contact(contact("HH", Encounter.EncounterStatus.CANCELLED))).isNull();
    }

    @Test
    void theClockStartsAtTheReceivedExtensionNotWhenTheReferrerWroteIt() {
        ServiceRequest sr = new ServiceRequest();
        sr.setAuthoredOn(Date.from(Instant.parse("2026-06-01T09:00:00Z")));
        assertThat(ReferralRecords.received(sr)).isEqualTo(Instant.parse("2026-06-01T09:00:00Z"));
        sr.addExtension(ReferralCodes.RECEIVED, new DateTimeType("2026-06-01T10:15:30+01:00"));
        assertThat(ReferralRecords.received(sr)).isEqualTo(Instant.parse("2026-06-01T09:15:30Z"));
    }

    @Test
    void theServiceIsTheHealthcareServicePerformer() {
        ServiceRequest sr = new ServiceRequest();
        sr.addPerformer().setReference("Practitioner/x");
        sr.addPerformer().setReference("HealthcareService/district-nursing");
        assertThat(ReferralRecords.serviceOf(sr)).isEqualTo("district-nursing");
    }
}
