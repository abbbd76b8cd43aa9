package org.charnwood.app.workspace;

import org.charnwood.app.workspace.RecordSummary.Row;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Builds the record summary page's lists from the patient's resources. */
@Component
class RecordSummaries {

    private final ClinicalRecord record;
    private final News2History news2;
    private final Clock clock;

    RecordSummaries(ClinicalRecord record, News2History news2, Clock clock) {
        this.record = record;
        this.news2 = news2;
        this.clock = clock;
    }

    RecordSummary summary(String patientId) {
        String patient = "Patient/" + patientId;
        List<Row> problems = record.search("Condition", Condition.class, "patient", patient, "_sort", "-onset-date",
                "_count", "50").stream().map(c -> new Row(Text.concept(c.getCode()),
                c.hasOnsetDateTimeType() ? Text.date(c.getOnsetDateTimeType().getValue()) : "",
                Text.concept(c.getClinicalStatus()), change(patientId, "problems", c))).toList();
        List<Row> allergies = record.search("AllergyIntolerance", AllergyIntolerance.class, "patient", patient,
                "_count", "50").stream().map(a -> new Row(Text.concept(a.getCode()),
                a.hasRecordedDate() ? Text.date(a.getRecordedDate()) : "",
                a.getReaction().isEmpty() ? Text.concept(a.getClinicalStatus())
                        : Text.concept(a.getReactionFirstRep().getManifestationFirstRep()),
                change(patientId, "allergies", a))).toList();
        List<Row> medications = record.search("MedicationRequest", MedicationRequest.class, "patient", patient,
                "status", "active", "_sort", "-authoredon", "_count", "50").stream()
                .map(m -> new Row(m.hasMedicationCodeableConcept() ? Text.concept(m.getMedicationCodeableConcept())
                        : m.getMedicationReference().getDisplay(), Text.date(m.getAuthoredOn()),
                        m.getDosageInstructionFirstRep().getText())).toList();
        List<Row> observations = record.search("Observation", Observation.class, "patient", patient,
                "category", "vital-signs", "_sort", "-date", "_count", "14").stream()
                .map(o -> new Row(Text.concept(o.getCode()), o.hasEffectiveDateTimeType()
                        ? Text.dateTime(o.getEffectiveDateTimeType().getValue()) : "", value(o))).toList();
        List<Row> carePlans = record.search("CarePlan", CarePlan.class, "patient", patient, "_count", "20").stream()
                .map(c -> new Row(c.hasTitle() ? c.getTitle() : Text.concept(c.getCategoryFirstRep()),
                        period(c.getPeriod()), c.hasStatus() ? c.getStatus().getDisplay() : "",
                        change(patientId, "care-plans", c))).toList();
        List<Row> episodes = record.search("EpisodeOfCare", EpisodeOfCare.class, "patient", patient,
                "_count", "20").stream().map(e -> new Row(
                e.hasType() ? Text.concept(e.getTypeFirstRep()) : "Episode of care", period(e.getPeriod()),
                (e.hasStatus() ? e.getStatus().getDisplay() : "")
                        + (e.hasTeam() && e.getTeamFirstRep().hasDisplay() ? " – " + e.getTeamFirstRep().getDisplay() : "")))
                .toList();
        String today = DateTimeFormatter.ISO_LOCAL_DATE.format(clock.instant().atZone(Text.UK));
        List<Row> appointments = record.search("Appointment", Appointment.class, "patient", patient,
                "date", "ge" + today, "_sort", "date", "_count", "10").stream()
                .map(a -> new Row(a.hasServiceType() ? Text.concept(a.getServiceTypeFirstRep())
                        : a.hasDescription() ? a.getDescription() : "Appointment", Text.dateTime(a.getStart()),
                        a.hasStatus() ? a.getStatus().getDisplay() : "")).toList();
        List<Row> documents = record.search("DocumentReference", DocumentReference.class, "patient", patient,
                "_sort", "-date", "_count", "20").stream()
                .map(d -> new Row(d.hasDescription() ? d.getDescription() : Text.concept(d.getType()),
                        Text.date(d.getDate()), Text.concept(d.getType()))).toList();
        Map<String, String> contactNotes = ContactTimeline.notes(record, patient, 20);
        List<Row> contacts = record.search("Encounter", Encounter.class, "patient", patient, "_sort", "-date",
                "_count", "20").stream()
                .map(e -> ContactTimeline.row(e, contactNotes)).toList();
        return new RecordSummary(problems, allergies, medications, observations,
                News2Trend.of(news2.recent(patient, 20), 600, 220, 24), carePlans, episodes, appointments,
                documents, contacts);
    }

    private static String change(String patientId, String list, org.hl7.fhir.r4.model.Resource resource) {
        return "/staff/patients/" + patientId + "/" + list + "/" + resource.getIdElement().getIdPart();
    }

    private static String value(Observation o) {
        if (o.hasValueQuantity()) {
            Quantity q = o.getValueQuantity();
            return q.getValue().stripTrailingZeros().toPlainString() + " " + (q.hasUnit() ? q.getUnit() : q.getCode());
        }
        if (o.hasValueCodeableConcept()) {
            return Text.concept(o.getValueCodeableConcept());
        }
        if (o.hasComponent()) {
            StringBuilder text = new StringBuilder();
            o.getComponent().forEach(c -> {
                if (c.hasValueQuantity()) {
                    text.append(text.isEmpty() ? "" : "/").append(c.getValueQuantity().getValue().toPlainString());
                }
            });
            return text + " mmHg";
        }
        return "";
    }

    private static String period(Period period) {
        if (period == null || !period.hasStart()) {
            return "";
        }
        return Text.date(period.getStart()) + (period.hasEnd() ? " to " + Text.date(period.getEnd()) : " onwards");
    }
}
