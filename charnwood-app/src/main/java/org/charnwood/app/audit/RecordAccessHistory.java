package org.charnwood.app.audit;

import org.charnwood.app.audit.balp.AuditEventBuilder;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.RelatedPerson;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the audit trail of one patient's record into what the patient can read: who (name, role,
 * organisation), when, what they did, and whether it was emergency access with the reason given. Only the
 * requester, the action and the kind of information are taken from each event: other patients named in the
 * same event (a search over several records) are never shown.
 */
public class RecordAccessHistory {

    /** A page of the history; {@code hasMore} when older entries follow. */
    public record Page(List<RecordAccess> entries, boolean hasMore, int offset, int count) {
    }

    private static final Map<String, String> ROLES = Map.of(
            "R8000", "Doctor or clinical practitioner",
            "R8001", "Nurse",
            "R8002", "Nurse manager",
            "R8003", "Health professional (such as a therapist or psychologist)",
            "R8008", "Healthcare assistant",
            "R8010", "Administrative and booking staff",
            "R8012", "Information analyst",
            "R0001", "Information governance officer",
            "R8015", "System administrator");

    private static final Map<String, String> INFORMATION = Map.ofEntries(
            Map.entry("Patient", "your personal details"),
            Map.entry("Observation", "your observations and measurements"),
            Map.entry("Condition", "your conditions and diagnoses"),
            Map.entry("Encounter", "your visits and stays"),
            Map.entry("EpisodeOfCare", "your episodes of care"),
            Map.entry("Appointment", "your appointments"),
            Map.entry("ServiceRequest", "your referrals"),
            Map.entry("CareTeam", "your care team"),
            Map.entry("CarePlan", "your care plans"),
            Map.entry("MedicationRequest", "your medicines"),
            Map.entry("MedicationStatement", "your medicines"),
            Map.entry("AllergyIntolerance", "your allergies"),
            Map.entry("DocumentReference", "your documents"),
            Map.entry("Procedure", "your procedures"),
            Map.entry("Immunization", "your vaccinations"),
            Map.entry("QuestionnaireResponse", "your questionnaire answers"),
            Map.entry("Flag", "alerts on your record"),
            Map.entry("Consent", "your consent and sharing choices"),
            Map.entry("RelatedPerson", "your carers and contacts"),
            Map.entry("AuditEvent", "who has accessed your record"));

    private static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

    private final AuditLog log;
    private final FhirRepository repository;
    private final TrailNames people;
    private final boolean showStaffNames;

    public RecordAccessHistory(AuditLog log, FhirRepository repository, boolean showStaffNames) {
        this.log = log;
        this.repository = repository;
        this.people = new TrailNames(repository);
        this.showStaffNames = showStaffNames;
    }

    /** Newest first: what others did with the patient's record, without the patient's own or systems' work. */
    public Page of(String patientId, int count, int offset) {
        AuditPage page = log.accessToPatientByOthers(patientId, count, offset);
        Map<String, String> reasons = breakGlassReasons(patientId);
        Map<String, String> names = new HashMap<>();
        List<RecordAccess> entries = new ArrayList<>();
        var parser = FhirContexts.r4().newJsonParser();
        for (StoredResource stored : page.events()) {
            AuditEvent event = parser.parseResource(AuditEvent.class, stored.json());
            entries.add(entry(event, reasons, names));
        }
        return new Page(entries, page.hasMore(), page.offset(), page.count());
    }

    /**
     * What one person did with the patient's record under one break-glass grant (the grant's own record included),
     * newest first, worded for the information governance officer who reviews it.
     */
    public List<RecordAccess> underGrant(String grantId, String patientId, String fhirUser, int max) {
        AuditPage page = log.search(new java.util.LinkedHashMap<>(Map.of("patient", List.of(patientId),
                "agent", List.of(fhirUser), "purpose", List.of("BTG"), "_count", List.of(Integer.toString(max)))));
        Map<String, String> names = new HashMap<>();
        List<RecordAccess> entries = new ArrayList<>();
        var parser = FhirContexts.r4().newJsonParser();
        for (StoredResource stored : page.events()) {
            AuditEvent event = parser.parseResource(AuditEvent.class, stored.json());
            boolean ofThisGrant = event.getEntity().stream().map(e -> e.getWhat().getIdentifier())
                    .anyMatch(id -> AuditEventBuilder.BREAK_GLASS_GRANT.equals(id.getSystem())
                            && grantId.equals(id.getValue()));
            if (ofThisGrant) {
                entries.add(forGovernance(entry(event, Map.of(), names, true)));
            }
        }
        return entries;
    }

    /** One access as information governance sees it: the access, and every patient its record names. */
    public record GovernanceEntry(RecordAccess access, List<String> patients) {
    }

    /** A page of accesses for information governance; {@code hasMore} when older ones follow. */
    public record GovernancePage(List<GovernanceEntry> entries, boolean hasMore) {
    }

    /** Every access to the patient's record, the patient's own and systems' included, newest first. */
    public GovernancePage toPatient(String patientId, int count, int offset) {
        return governance(log.accessToPatient(patientId, false, count, offset));
    }

    /** Everything one person or system (a fhirUser reference, or an account id) did, newest first. */
    public GovernancePage byPerson(String who, int count, int offset) {
        return governance(log.accessByUser(who, count, offset));
    }

    /** Staff are always named for information governance, whatever patients are shown. */
    private GovernancePage governance(AuditPage page) {
        Map<String, String> names = new HashMap<>();
        List<GovernanceEntry> entries = new ArrayList<>();
        var parser = FhirContexts.r4().newJsonParser();
        for (StoredResource stored : page.events()) {
            AuditEvent event = parser.parseResource(AuditEvent.class, stored.json());
            RecordAccess e = entry(event, Map.of(), names, true);
            List<String> patients = event.getEntity().stream()
                    .map(x -> org.charnwood.app.audit.balp.PatientReferences.patientId(x.getWhat().getReference()))
                    .filter(java.util.Objects::nonNull).distinct().toList();
            entries.add(new GovernanceEntry(forGovernance(e), patients));
        }
        return new GovernancePage(entries, page.hasMore());
    }

    /** The patient-facing wording ("Viewed your observations") as a third party reads it. */
    private static RecordAccess forGovernance(RecordAccess e) {
        return new RecordAccess(e.when(), e.who(), e.role(), e.organisation(), e.what().replace("your ", "the patient's "),
                e.refused(), e.failed(), e.emergency(), e.emergencyReason(), e.id(), e.action());
    }

    private RecordAccess entry(AuditEvent event, Map<String, String> reasons, Map<String, String> names) {
        return entry(event, reasons, names, showStaffNames);
    }

    private RecordAccess entry(AuditEvent event, Map<String, String> reasons, Map<String, String> names,
                               boolean staffNames) {
        AuditEvent.AuditEventAgentComponent requester = event.getAgentFirstRep();
        String kind = requester.getAltId();
        String reference = requester.getWho().getReference();
        String role = "system".equals(kind) ? "Backend system" : "anonymous".equals(kind) ? "Not signed in"
                : "carer".equals(kind) ? "Carer" : "patient".equals(kind) ? "Patient"
                : requester.getRole().stream().flatMap(r -> r.getCoding().stream()).map(Coding::getCode)
                .map(ROLES::get).filter(java.util.Objects::nonNull).findFirst().orElse("Member of staff");
        String who = "staff".equals(kind) && !staffNames ? role
                : names.computeIfAbsent(reference == null ? "" : reference, r -> people.personName(r).orElse(null));
        if ("system".equals(kind)) {
            // A backend system is named by its account (its client), never by a person's name.
            who = requester.getWho().getIdentifier().getValue();
        }
        if (who == null || who.isBlank()) {
            who = role;
        }
        String organisation = event.getAgent().stream()
                .filter(a -> a.getType().getCoding().stream().anyMatch(c -> "PROV".equals(c.getCode())))
                .map(a -> a.getWho().getIdentifier().getValue()).filter(java.util.Objects::nonNull)
                .findFirst().map(ods -> names.computeIfAbsent("ods|" + ods, k -> organisationName(ods))).orElse(null);
        boolean emergency = event.getPurposeOfEvent().stream().flatMap(p -> p.getCoding().stream())
                .anyMatch(c -> "BTG".equals(c.getCode()));
        String reason = null;
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            Identifier id = entity.getWhat().getIdentifier();
            if (AuditEventBuilder.BREAK_GLASS_GRANT.equals(id.getSystem())) {
                emergency = true;
                reason = entity.hasDescription() ? statedReason(entity.getDescription()) : reasons.get(id.getValue());
            }
        }
        // Outcome 4 is a refusal; 8 and 12 are the system's own faults, which refused nobody.
        boolean failed = event.getOutcome() == AuditEvent.AuditEventOutcome._8
                || event.getOutcome() == AuditEvent.AuditEventOutcome._12;
        boolean refused = event.getOutcome() != null && event.getOutcome() != AuditEvent.AuditEventOutcome._0
                && !failed;
        return new RecordAccess(event.getRecorded().toInstant(), who, role, organisation,
                what(event, refused || failed), refused, failed, emergency, reason, event.getIdElement().getIdPart(),
                event.getAction() == null ? "R" : event.getAction().toCode());
    }

    private static String what(AuditEvent event, boolean refused) {
        String subtype = event.getSubtype().stream().map(Coding::getCode).filter(java.util.Objects::nonNull)
                .reduce((a, b) -> a + " " + b).orElse("");
        if (subtype.contains("app-access-allowed")) {
            return "Allowed an app to use your record";
        }
        if (subtype.contains("app-access-stopped")) {
            return "Stopped an app using your record";
        }
        if (subtype.contains("break-glass-review")) {
            return "Reviewed an emergency access to your record";
        }
        if (subtype.contains("identity-confirmation-review")) {
            return "Reviewed the linking of a self-referral to your record";
        }
        // Events that name no patient, seen only by information governance (a person's own trail).
        if (subtype.equals("110122")) {
            return refused ? "Failed to sign in" : "Signed in";
        }
        if (subtype.equals("110123")) {
            return "Signed out";
        }
        if (event.getType() != null && "110100".equals(event.getType().getCode())) {
            return "Rostering: " + subtype.replace('-', ' ');
        }
        if (subtype.contains("break-glass") || emergencyAccessAskedFor(event)) {
            return refused ? "Asked for emergency access to your record" : "Used emergency access to open your record";
        }
        if (subtype.contains("everything")) {
            return refused ? "Tried to view your whole record" : "Viewed your whole record";
        }
        String information = information(event);
        String verb = switch (event.getAction() == null ? "R" : event.getAction().toCode()) {
            case "C" -> refused ? "Tried to add to" : "Added to";
            case "U" -> refused ? "Tried to change" : "Changed";
            case "D" -> refused ? "Tried to remove" : "Removed";
            case "E" -> refused ? "Tried to search" : "Searched and saw";
            default -> refused ? "Tried to view" : "Viewed";
        };
        return verb + " " + information;
    }

    /**
     * A request for emergency access refused before its handler ran (by the security filters), which records it as
     * a form sent to its address rather than as a grant.
     */
    private static boolean emergencyAccessAskedFor(AuditEvent event) {
        return event.getEntity().stream().filter(AuditEvent.AuditEventEntityComponent::hasQuery)
                .map(e -> new String(Base64.getDecoder().decode(e.getQueryElement().getValueAsString()),
                        StandardCharsets.UTF_8))
                .anyMatch(line -> line.equals("POST /api/break-glass") || line.startsWith("POST /api/break-glass?"));
    }

    /** The kind of information touched: the resource read or written, else the type the query searched. */
    private static String information(AuditEvent event) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            String reference = entity.getWhat().getReference();
            if (reference != null && entity.getRole().getCode() != null && "4".equals(entity.getRole().getCode())) {
                return describe(reference.substring(0, Math.max(0, reference.indexOf('/'))));
            }
            if (entity.hasQuery()) {
                String line = new String(Base64.getDecoder().decode(entity.getQueryElement().getValueAsString()),
                        StandardCharsets.UTF_8);
                int fhir = line.indexOf("/fhir/");
                if (fhir >= 0) {
                    String rest = line.substring(fhir + 6);
                    int end = rest.length();
                    for (char c : new char[]{'/', '?', ' ', '\n'}) {
                        int i = rest.indexOf(c);
                        if (i >= 0 && i < end) {
                            end = i;
                        }
                    }
                    return describe(rest.substring(0, end));
                }
            }
        }
        return "your record";
    }

    private static String describe(String type) {
        if (type.isEmpty() || type.startsWith("_") || type.startsWith("$")) {
            return "your record";
        }
        return INFORMATION.getOrDefault(type, "your record (" + type.replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(Locale.ROOT) + ")");
    }

    private Map<String, String> breakGlassReasons(String patientId) {
        Map<String, String> reasons = new HashMap<>();
        var parser = FhirContexts.r4().newJsonParser();
        for (StoredResource stored : log.breakGlassGrantsFor(patientId, 1000).events()) {
            AuditEvent grant = parser.parseResource(AuditEvent.class, stored.json());
            for (AuditEvent.AuditEventEntityComponent entity : grant.getEntity()) {
                Identifier id = entity.getWhat().getIdentifier();
                if (AuditEventBuilder.BREAK_GLASS_GRANT.equals(id.getSystem()) && entity.hasDescription()) {
                    reasons.putIfAbsent(id.getValue(), statedReason(entity.getDescription()));
                }
            }
        }
        return reasons;
    }

    /** The reason as the person stated it, from the grant record's "reason: ...; until ..." description. */
    private static String statedReason(String description) {
        String reason = description.startsWith("reason: ") ? description.substring("reason: ".length()) : description;
        int until = reason.lastIndexOf("; until ");
        return until >= 0 ? reason.substring(0, until) : reason;
    }

    /** The name of the Organization with that ODS code; the code itself when there is none. */
    private String organisationName(String ods) {
        String json = repository.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    select v.content from idx_token t
                      join fhir_resource r on r.res_pk = t.res_pk and not r.deleted
                      join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
                     where t.res_type = 'Organization' and t.param = 'identifier' and t.system = ? and t.code = ?
                     limit 1""")) {
                ps.setString(1, ODS);
                ps.setString(2, ods);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
        if (json == null) {
            return ods;
        }
        String name = FhirContexts.r4().newJsonParser().parseResource(Organization.class, json).getName();
        return name == null || name.isBlank() ? ods : name;
    }
}
