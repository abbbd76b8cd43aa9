package org.charnwood.app.referrals;

import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The public directory of services: every service with an active pathway, described from its HealthcareService
 * (purpose, eligibility, hours, telephone, referral methods), its Locations and its pathway (area, self-referral).
 * Holds no patient data, so it reads as the server.
 */
@Component
class ServiceDirectory {

    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final List<String> DAY_NAMES = List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
            "Saturday", "Sunday");

    private final FhirRepository repository;
    private final Pathways pathways;

    ServiceDirectory(FhirRepository repository, Pathways pathways) {
        this.repository = repository;
        this.pathways = pathways;
    }

    List<DirectoryEntry> all() {
        return pathways.current().stream().map(this::entry).flatMap(Optional::stream).toList();
    }

    /** Services matching every word of {@code words} and covering {@code postcode}; blank criteria match all. */
    List<DirectoryEntry> search(String words, String postcode) {
        return all().stream()
                .filter(e -> words == null || words.isBlank() || e.matchesWords(words))
                .filter(e -> postcode == null || postcode.isBlank() || e.covers(postcode))
                .toList();
    }

    Optional<DirectoryEntry> find(String slug) {
        return pathways.current().stream().filter(p -> p.serviceSlug().equals(slug)).findFirst()
                .flatMap(this::entry);
    }

    private Optional<DirectoryEntry> entry(Pathway pathway) {
        HealthcareService service;
        try {
            service = repository.read("HealthcareService", pathway.serviceSlug()).parse(HealthcareService.class);
        } catch (FhirException e) {
            return Optional.empty();
        }
        if (service.hasActive() && !service.getActive()) {
            return Optional.empty();
        }
        List<String> area = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (PathwayRule rule : pathway.rules()) {
            if (rule.kind() == PathwayRule.Kind.ACCEPT && (rule.test() instanceof PathwayRule.PostcodeArea
                    || rule.test() instanceof PathwayRule.RegisteredPractice)) {
                area.add(rule.description());
            }
            if (rule.kind() == PathwayRule.Kind.ACCEPT && rule.test() instanceof PathwayRule.PostcodeArea a) {
                prefixes.addAll(a.prefixes());
            }
        }
        List<String> locations = new ArrayList<>();
        for (Reference ref : service.getLocation()) {
            locations.add(location(ref));
        }
        List<String> hours = service.getAvailableTime().stream().map(ServiceDirectory::hours).toList();
        String phone = service.getTelecom().stream().filter(t -> t.getSystem() == ContactPoint.ContactPointSystem.PHONE)
                .map(ContactPoint::getValue).findFirst().orElse(null);
        List<String> howToRefer = new ArrayList<>();
        service.getReferralMethod().forEach(m -> howToRefer.add(switch (m.getCodingFirstRep().getCode() == null ? ""
                : m.getCodingFirstRep().getCode()) {
            case "elec" -> "Health and care professionals refer electronically (e-RS, GP systems, FHIR)";
            case "phone" -> "By telephone" + (phone == null ? "" : " on " + phone);
            case "fax" -> "By fax";
            case "mail" -> "By letter";
            case "semail" -> "By secure email";
            default -> m.getText() != null ? m.getText() : m.getCodingFirstRep().getDisplay();
        }));
        // The pathway decides: the service's own extension is only a copy for directory readers.
        boolean self = pathway.selfReferral();
        if (self) {
            howToRefer.add("You can refer yourself online");
        }
        String whoFor = service.hasEligibility() && service.getEligibilityFirstRep().hasComment()
                ? service.getEligibilityFirstRep().getComment() : pathway.definition().getUsage();
        String purpose = service.hasExtraDetails() ? service.getExtraDetails() : pathway.definition().getDescription();
        return Optional.of(new DirectoryEntry(pathway.serviceSlug(), service.getName(), service.getComment(), purpose,
                whoFor, area, locations, hours, phone, howToRefer, self, List.copyOf(prefixes)));
    }

    private String location(Reference ref) {
        String name = ref.getDisplay();
        if (ref.getReference() != null && ref.getReference().startsWith("Location/")) {
            try {
                Location location = repository.read("Location", ref.getReference().substring(9)).parse(Location.class);
                name = location.getName();
                if (location.hasAddress()) {
                    var a = location.getAddress();
                    List<String> parts = new ArrayList<>();
                    a.getLine().forEach(l -> parts.add(l.getValue()));
                    if (a.hasCity()) {
                        parts.add(a.getCity());
                    }
                    if (a.hasPostalCode()) {
                        parts.add(a.getPostalCode());
                    }
                    return name + ", " + String.join(", ", parts);
                }
            } catch (FhirException e) {
                // a location we do not hold: its display name is all we have
            }
        }
        return name;
    }

    static String hours(HealthcareService.HealthcareServiceAvailableTimeComponent time) {
        List<String> days = time.getDaysOfWeek().stream().map(d -> d.getValue().toCode()).toList();
        String when;
        if (days.size() == 7) {
            when = "Every day";
        } else if (days.equals(DAYS.subList(0, 5))) {
            when = "Monday to Friday";
        } else {
            when = String.join(", ", days.stream().map(d -> DAY_NAMES.get(DAYS.indexOf(d))).toList());
        }
        if (time.getAllDay()) {
            return when + ", 24 hours";
        }
        if (time.hasAvailableStartTime() && time.hasAvailableEndTime()) {
            return when + ", " + clock(time.getAvailableStartTime()) + " to " + clock(time.getAvailableEndTime());
        }
        return when;
    }

    private static String clock(String time) {
        return LocalTime.parse(time).format(DateTimeFormatter.ofPattern("h:mma", Locale.UK)).toLowerCase(Locale.UK)
                .replace(":00", "");
    }
}
