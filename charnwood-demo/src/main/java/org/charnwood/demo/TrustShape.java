package org.charnwood.demo;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Resource;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The trust's own resources (itself, the GP practices it works with, sites, wards, beds, services, teams and
 * staff) with stable logical ids that patient data, the application and tests can rely on:
 * <ul>
 *   <li>{@code Organization/trust-r9c}: the trust; GP practices are {@code Organization/gp-<ods code>}
 *       (for example {@code Organization/gp-c82901});</li>
 *   <li>{@code Location/site-<slug>} for each {@link Site}, {@code Location/ward-<slug>-<n>} for its wards and
 *       {@code Location/bed-<slug>-<n>-<bb>} for beds;</li>
 *   <li>{@code HealthcareService/<slug>} for each {@link TrustService};</li>
 *   <li>{@code CareTeam/team-<service slug>-<area>} for teams;</li>
 *   <li>{@code Practitioner/staff-<nnn>} and {@code PractitionerRole/role-<nnn>} for staff, numbered in team order.</li>
 * </ul>
 * Built by {@link TrustShapeGenerator}; always the same, whatever seed a population uses.
 */
public final class TrustShape {

    /** Fictional but well-formed three-character NHS trust ODS code. */
    public static final String TRUST_ODS_CODE = "R9C";
    public static final String TRUST_ORGANIZATION_ID = "trust-r9c";
    public static final String TRUST_NAME = "Charnwood Community and Mental Health NHS Trust";

    private final List<Resource> resources;
    private final List<Practice> practices;
    private final List<Team> teams;
    private final List<Ward> wards;
    private final Map<TrustService, List<Team>> teamsByService;

    TrustShape(List<Resource> resources, List<Practice> practices, List<Team> teams, List<Ward> wards) {
        this.resources = List.copyOf(resources);
        this.practices = List.copyOf(practices);
        this.teams = List.copyOf(teams);
        this.wards = List.copyOf(wards);
        Map<TrustService, List<Team>> byService = new EnumMap<>(TrustService.class);
        for (TrustService service : TrustService.values()) {
            byService.put(service, teams.stream().filter(t -> t.service() == service).toList());
        }
        this.teamsByService = byService;
    }

    /** Every trust resource, in an order that loads without forward references. */
    public List<Resource> resources() {
        return resources;
    }

    public List<Practice> practices() {
        return practices;
    }

    public List<Team> teams() {
        return teams;
    }

    public List<Ward> wards() {
        return wards;
    }

    /** The team that covers {@code locality} for {@code service}, or the service's first team when none does. */
    public Team teamFor(TrustService service, Locality locality) {
        List<Team> candidates = teamsByService.get(service);
        for (Team team : candidates) {
            if (team.localities().contains(locality)) {
                return team;
            }
        }
        return candidates.get(0);
    }

    public List<Practice> practicesIn(Locality locality) {
        return practices.stream().filter(p -> p.locality() == locality).toList();
    }

    /** Wards of community hospitals ({@code mentalHealth == false}) or of the mental health unit. */
    public List<Ward> wards(boolean mentalHealth) {
        return wards.stream().filter(w -> w.site().mentalHealth() == mentalHealth).toList();
    }

    /**
     * The trust resources as a FHIR transaction of PUTs, so loading it twice leaves one copy and the stable
     * ids are kept. Load it before any patient bundle.
     */
    public Bundle transaction() {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        for (Resource resource : resources) {
            String url = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
            bundle.addEntry().setFullUrl(url).setResource(resource)
                    .getRequest().setMethod(HTTPVerb.PUT).setUrl(url);
        }
        return bundle;
    }

    /**
     * A GP practice patients are registered with: in {@code district} of its locality (its town, the one its name
     * implies), on {@code street}, or on a road of the locality when null.
     */
    public record Practice(String organizationId, String odsCode, String name, Locality locality,
                           Locality.District district, String street) {
    }

    /** One member of staff: their Practitioner, their PractitionerRole in a team, and their job. */
    public record StaffMember(String practitionerId, String practitionerRoleId, StaffRole role, String given,
                              String family, boolean female, String careTeamId) {

        /** How the member is shown in references: "Dr Meera Patel (Consultant Psychiatrist)". */
        public String displayName() {
            return (role.doctor() ? "Dr " : "") + given + " " + family + " (" + role.title() + ")";
        }
    }

    /** A team (a CareTeam) delivering one service to some localities from a base. */
    public record Team(String careTeamId, String name, TrustService service, Site base, List<Locality> localities,
                       List<StaffMember> staff) {

        /** Staff of this team in {@code role}, or all staff when nobody holds it. */
        public List<StaffMember> staff(StaffRole role) {
            List<StaffMember> matching = staff.stream().filter(s -> s.role() == role).toList();
            return matching.isEmpty() ? staff : matching;
        }

        public List<StaffMember> prescribers() {
            return staff.stream().filter(s -> s.role().prescriber()).toList();
        }
    }

    /** A ward and its beds. */
    public record Ward(String locationId, String name, Site site, List<Bed> beds) {

        public List<Bed> occupiedBeds() {
            return beds.stream().filter(Bed::occupied).toList();
        }
    }

    /** A bed, with the v2-0116 status the directory shows for it (O occupied, U unoccupied, H, C...). */
    public record Bed(String locationId, String label, String wardLocationId, String status) {

        public boolean occupied() {
            return "O".equals(status);
        }
    }
}
