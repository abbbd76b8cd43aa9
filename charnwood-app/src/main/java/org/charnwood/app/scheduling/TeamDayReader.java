package org.charnwood.app.scheduling;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.scheduling.travel.GeoPoint;
import org.charnwood.scheduling.visits.Gender;
import org.charnwood.scheduling.visits.Priority;
import org.charnwood.scheduling.visits.StaffMember;
import org.charnwood.scheduling.visits.VisitProblem;
import org.charnwood.scheduling.visits.VisitRequest;
import org.charnwood.scheduling.visits.VisitStatus;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one district-nursing team's day from the FHIR store as a {@link VisitProblem}: the team's members, and the
 * active ServiceRequests it performs that fall on the day. Staff ids are PractitionerRole ids, visit ids are
 * ServiceRequest ids and patient ids are Patient ids, so the plan maps straight back to references.
 */
@Component
class TeamDayReader {

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    private final FhirRepository repository;

    TeamDayReader(FhirRepository repository) {
        this.repository = repository;
    }

    VisitProblem read(String careTeamId, LocalDate date) {
        CareTeam team = repository.read("CareTeam", careTeamId).parse(CareTeam.class);
        List<StaffMember> staff = new ArrayList<>();
        for (CareTeam.CareTeamParticipantComponent participant : team.getParticipant()) {
            String reference = participant.getMember().getReference();
            if (reference != null && reference.startsWith("PractitionerRole/")) {
                staff.add(staffMember(reference.substring("PractitionerRole/".length())));
            }
        }
        List<VisitRequest> visits = new ArrayList<>();
        Map<String, Optional<GeoPoint>> homes = new LinkedHashMap<>();
        for (StoredResource stored : dueRequests(careTeamId, date)) {
            ServiceRequest request = stored.parse(ServiceRequest.class);
            String patientId = request.getSubject().getReferenceElement().getIdPart();
            Optional<GeoPoint> home = homes.computeIfAbsent(patientId, this::home);
            if (home.isEmpty()) {
                throw FhirException.of(422, ErrorCode.SCHEDULING_NO_LOCATION, IssueType.INCOMPLETE,
                        "Patient/" + patientId + " has no address Charnwood can place for ServiceRequest/"
                                + request.getIdElement().getIdPart(), PlanningFailures.HOME);
            }
            visits.add(visit(request, patientId, home.get(), date));
        }
        return new VisitProblem(date, staff, visits);
    }

    /** The ServiceRequests due for the team on the day, by id: what each visit is for. */
    Map<String, ServiceRequest> requests(String careTeamId, LocalDate date) {
        Map<String, ServiceRequest> requests = new LinkedHashMap<>();
        for (StoredResource stored : dueRequests(careTeamId, date)) {
            requests.put(stored.id(), stored.parse(ServiceRequest.class));
        }
        return requests;
    }

    private List<StoredResource> dueRequests(String careTeamId, LocalDate date) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("performer", List.of("CareTeam/" + careTeamId));
        parameters.put("status", List.of("active"));
        parameters.put("occurrence", List.of("ge" + date, "lt" + date.plusDays(1)));
        parameters.put("_count", List.of("1000"));
        return repository.search(new SearchRequest("ServiceRequest", parameters, false)).matches();
    }

    private StaffMember staffMember(String roleId) {
        PractitionerRole role = repository.read("PractitionerRole", roleId).parse(PractitionerRole.class);
        String title = role.getCode().isEmpty() ? "" : role.getCodeFirstRep().getText();
        Practitioner practitioner = repository.read("Practitioner",
                role.getPractitioner().getReferenceElement().getIdPart()).parse(Practitioner.class);
        Gender gender = practitioner.getGender() == AdministrativeGender.MALE ? Gender.MALE : Gender.FEMALE;
        GeoPoint base = role.getLocation().isEmpty() ? null
                : place(role.getLocationFirstRep().getReferenceElement().getIdPart()).orElse(null);
        if (base == null) {
            throw FhirException.of(422, ErrorCode.SCHEDULING_NO_LOCATION, IssueType.INCOMPLETE,
                    "PractitionerRole/" + roleId + " has no base Charnwood can place", PlanningFailures.BASE);
        }
        StaffGrade grade = StaffGrade.of(title);
        // Shift times would come from PractitionerRole.availableTime or the roster; a standard day until then.
        return new StaffMember(roleId, practitioner.getNameFirstRep().getNameAsSingleString(), grade.skills(),
                grade.band(), gender, base, LocalTime.of(8, 0), LocalTime.of(16, 30), LocalTime.of(12, 30),
                Duration.ofMinutes(30), 14, Duration.ofHours(8));
    }

    private VisitRequest visit(ServiceRequest request, String patientId, GeoPoint home, LocalDate date) {
        VisitKind kind = VisitKind.of(request.getCode().getText() == null && request.getCode().hasCoding()
                ? request.getCode().getCodingFirstRep().getDisplay() : request.getCode().getText());
        LocalTime earliest = LocalTime.of(8, 0);
        LocalTime latest = LocalTime.of(16, 0);
        if (request.hasOccurrencePeriod()) {
            Period period = request.getOccurrencePeriod();
            if (period.hasStart()) {
                earliest = clamp(period.getStart().toInstant().atZone(LONDON).toLocalTime(), date,
                        period.getStart().toInstant().atZone(LONDON).toLocalDate());
            }
            if (period.hasEnd()) {
                latest = period.getEnd().toInstant().atZone(LONDON).toLocalDate().isAfter(date) ? LocalTime.of(23, 0)
                        : period.getEnd().toInstant().atZone(LONDON).toLocalTime();
            }
        }
        Priority priority = switch (request.getPriority() == null ? ServiceRequest.ServiceRequestPriority.ROUTINE
                : request.getPriority()) {
            case STAT, ASAP -> Priority.URGENT;
            case URGENT -> Priority.HIGH;
            default -> Priority.ROUTINE;
        };
        return new VisitRequest(request.getIdElement().getIdPart(), patientId, home, kind.duration(), earliest,
                latest.isBefore(earliest) ? earliest : latest, priority, kind.skills(), kind.minimumBand(), null,
                List.of(), VisitStatus.PLANNED, null);
    }

    private static LocalTime clamp(LocalTime time, LocalDate day, LocalDate onDate) {
        return onDate.isBefore(day) ? LocalTime.of(8, 0) : time;
    }

    private Optional<GeoPoint> home(String patientId) {
        Patient patient = repository.read("Patient", patientId).parse(Patient.class);
        for (Address address : patient.getAddress()) {
            if (address.getUse() != Address.AddressUse.OLD) {
                Optional<GeoPoint> point = PostcodeDistricts.locate(address.getPostalCode());
                if (point.isPresent()) {
                    return point;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<GeoPoint> place(String locationId) {
        Location location = repository.read("Location", locationId).parse(Location.class);
        if (location.hasPosition()) {
            return Optional.of(new GeoPoint(location.getPosition().getLatitude().doubleValue(),
                    location.getPosition().getLongitude().doubleValue()));
        }
        return PostcodeDistricts.locate(location.getAddress().getPostalCode());
    }

    /** What a staff member may do, from their job title until the trust records skills as qualifications. */
    record StaffGrade(int band, Set<String> skills) {

        private static final Set<String> REGISTERED = Set.of("wound-care", "insulin", "venepuncture",
                "catheter-care", "syringe-driver", "peg-feeding");

        static StaffGrade of(String title) {
            String t = title == null ? "" : title.toLowerCase(Locale.ROOT);
            if (t.contains("advanced")) {
                return new StaffGrade(8, REGISTERED);
            }
            if (t.contains("district nurse") || t.contains("sister") || t.contains("specialist")) {
                return new StaffGrade(6, REGISTERED);
            }
            if (t.contains("nurse")) {
                return new StaffGrade(5, Set.of("wound-care", "insulin", "venepuncture", "catheter-care"));
            }
            return new StaffGrade(3, Set.of("venepuncture"));
        }
    }

    /** How long a visit takes and who may do it, from what the ServiceRequest asks for. */
    record VisitKind(Duration duration, Set<String> skills, int minimumBand) {

        static VisitKind of(String text) {
            String t = text == null ? "" : text.toLowerCase(Locale.ROOT);
            if (t.contains("syringe driver") || t.contains("palliative")) {
                return new VisitKind(Duration.ofMinutes(45), Set.of("syringe-driver"), 5);
            }
            if (t.contains("catheter")) {
                return new VisitKind(Duration.ofMinutes(30), Set.of("catheter-care"), 5);
            }
            if (t.contains("peg") || t.contains("enteral")) {
                return new VisitKind(Duration.ofMinutes(30), Set.of("peg-feeding"), 5);
            }
            if (t.contains("insulin")) {
                return new VisitKind(Duration.ofMinutes(15), Set.of("insulin"), 4);
            }
            if (t.contains("venepuncture") || t.contains("blood")) {
                return new VisitKind(Duration.ofMinutes(15), Set.of("venepuncture"), 3);
            }
            if (t.contains("wound") || t.contains("dressing") || t.contains("ulcer")) {
                return new VisitKind(Duration.ofMinutes(30), Set.of("wound-care"), 4);
            }
            return new VisitKind(Duration.ofMinutes(30), Set.of(), 5);
        }
    }
}
