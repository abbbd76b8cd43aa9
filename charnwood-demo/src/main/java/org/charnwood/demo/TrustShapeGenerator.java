package org.charnwood.demo;

import org.charnwood.demo.TrustShape.Bed;
import org.charnwood.demo.TrustShape.Practice;
import org.charnwood.demo.TrustShape.StaffMember;
import org.charnwood.demo.TrustShape.Team;
import org.charnwood.demo.TrustShape.Ward;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the {@link TrustShape}: the fictional Charnwood Community and Mental Health NHS Trust serving
 * Leicester, Leicestershire and Rutland.
 *
 * <p><b>Teams are CareTeams, not Organizations.</b> A community or mental-health team is a group of staff
 * holding a caseload, not a legal body with its own ODS code: as a CareTeam it can list its members (as
 * PractitionerRoles), be named by {@code EpisodeOfCare.team} (the caseload model of the design: an episode plus
 * a team), and stay under the one trust Organization that is the {@code serviceProvider} of every contact.
 * Modelling teams as Organizations would put dozens of pseudo-providers into organisation searches and ODS
 * lookups, where partners expect only real organisations.
 *
 * <p>The result does not depend on any seed: ids, names and bed states are the same in every run, so the
 * application, the benchmarks and tests can refer to them.
 */
public final class TrustShapeGenerator {

    static final String STAFF_NUMBER_SYSTEM = "https://charnwood.nhs.example/Id/staff-number";
    /** Fixed so the directory (staff names, bed states) never changes between runs. */
    private static final long DIRECTORY_SEED = 0x43484E57L;
    private static final String LEICESTER_SWITCHBOARD = "0116 496 0000";

    /**
     * The GP practices, each in the town its name implies (a town's own name, or a road of that town), and where
     * the name is a road's, on that road.
     */
    private static final List<Practice> PRACTICES = List.of(
            practice(1, "Fosse Road Medical Practice", Locality.LEICESTER_CITY, "LE3", "Fosse Road North"),
            practice(2, "Belgrave Road Surgery", Locality.LEICESTER_CITY, "LE4", "Belgrave Road"),
            practice(3, "Evington Road Health Centre", Locality.LEICESTER_CITY, "LE2", "Evington Road"),
            practice(4, "Saffron Lane Medical Group", Locality.LEICESTER_CITY, "LE2", "Saffron Lane"),
            practice(5, "Forest Road Surgery", Locality.CHARNWOOD, "LOUGHBOROUGH", "Forest Road"),
            practice(6, "Soar Valley Practice", Locality.CHARNWOOD, "SYSTON", null),
            practice(7, "Belvoir Road Surgery", Locality.NORTH_WEST_LEICESTERSHIRE, "COALVILLE", "Belvoir Road"),
            practice(8, "Ashby Market Street Practice", Locality.NORTH_WEST_LEICESTERSHIRE, "ASHBY-DE-LA-ZOUCH",
                    "Market Street"),
            practice(9, "Castle Street Surgery", Locality.HINCKLEY_AND_BOSWORTH, "HINCKLEY", "Castle Street"),
            practice(10, "Earl Shilton Health Centre", Locality.HINCKLEY_AND_BOSWORTH, "EARL SHILTON", null),
            practice(11, "Wreake Valley Practice", Locality.MELTON, "LE14", null),
            practice(12, "Thorpe Road Surgery", Locality.MELTON, "LE13", "Thorpe Road"),
            practice(13, "Welland Park Surgery", Locality.HARBOROUGH, "MARKET HARBOROUGH", null),
            practice(14, "Lutterworth Medical Practice", Locality.HARBOROUGH, "LUTTERWORTH", null),
            practice(15, "Wigston Central Surgery", Locality.BLABY_OADBY_WIGSTON, "WIGSTON", null),
            practice(16, "Enderby Medical Practice", Locality.BLABY_OADBY_WIGSTON, "ENDERBY", null),
            practice(17, "Catmose Surgery", Locality.RUTLAND, "OAKHAM", null),
            practice(18, "Uppingham Medical Practice", Locality.RUTLAND, "UPPINGHAM", null));

    private final Dice dice = new Dice(DIRECTORY_SEED);
    private final List<Resource> resources = new ArrayList<>();
    private int staffCount;

    /** Builds the trust's directory. A new generator gives an identical shape every time. */
    public TrustShape generate() {
        resources.add(trustOrganization());
        PRACTICES.forEach(p -> resources.add(practiceOrganization(p)));
        List<Ward> wards = new ArrayList<>();
        for (Site site : Site.values()) {
            resources.add(siteLocation(site));
            for (int w = 0; w < site.wards().size(); w++) {
                wards.add(ward(site, w + 1, site.wards().get(w)));
            }
        }
        List<Team> teams = teams();
        for (TrustService service : TrustService.values()) {
            resources.add(healthcareService(service, teams));
        }
        List<Resource> practitioners = new ArrayList<>();
        List<Resource> roles = new ArrayList<>();
        for (Team team : teams) {
            for (StaffMember member : team.staff()) {
                practitioners.add(practitioner(member));
                roles.add(practitionerRole(member, team));
            }
        }
        resources.addAll(practitioners);
        resources.addAll(roles);
        teams.forEach(t -> resources.add(careTeam(t)));
        return new TrustShape(resources, PRACTICES, teams, wards);
    }

    /**
     * A practice of the locality in one of its postcode districts, named by its town or, where a town has several,
     * by its outward code; on {@code street}, or on a road of the locality when null.
     */
    private static Practice practice(int number, String name, Locality locality, String townOrDistrict,
                                     String street) {
        String ods = String.format("C829%02d", number);
        Locality.District district = locality.districts().stream()
                .filter(d -> d.town().equals(townOrDistrict) || d.outward().equals(townOrDistrict))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(townOrDistrict + " is not in "
                        + locality.label()));
        return new Practice("gp-" + ods.toLowerCase(Locale.ROOT), ods, name, locality, district, street);
    }

    private Organization trustOrganization() {
        Organization org = new Organization();
        org.setId(TrustShape.TRUST_ORGANIZATION_ID);
        org.getMeta().addProfile(UkCore.ORGANIZATION);
        org.addIdentifier().setSystem(UkCore.ODS_ORGANIZATION_SYSTEM).setValue(TrustShape.TRUST_ODS_CODE);
        org.setActive(true);
        org.addType(new Code("http://terminology.hl7.org/CodeSystem/organization-type", "prov",
                "Healthcare Provider").concept());
        org.setName(TrustShape.TRUST_NAME);
        org.addTelecom(phone(LEICESTER_SWITCHBOARD));
        org.addTelecom(new ContactPoint().setSystem(ContactPointSystem.URL)
                .setValue("https://charnwood.nhs.example").setUse(ContactPointUse.WORK));
        Site hq = Site.LEICESTER_COMMUNITY_HUB;
        org.addAddress(address("Trust Headquarters, " + hq.street(), hq.town(), "Leicestershire", hq.postcode()));
        return org;
    }

    private Organization practiceOrganization(Practice practice) {
        Organization org = new Organization();
        org.setId(practice.organizationId());
        org.getMeta().addProfile(UkCore.ORGANIZATION);
        org.addIdentifier().setSystem(UkCore.ODS_ORGANIZATION_SYSTEM).setValue(practice.odsCode());
        org.setActive(true);
        org.addType(new Code("http://terminology.hl7.org/CodeSystem/organization-type", "prov",
                "Healthcare Provider").concept());
        org.setName(practice.name());
        int number = Integer.parseInt(practice.odsCode().substring(3));
        org.addTelecom(phone(String.format("0116 496 0%03d", 100 + number)));
        Locality locality = practice.locality();
        Locality.District district = practice.district();
        // Both drawn whether used or not, so the dice go on to draw the rest of the trust as they always have.
        int house = dice.between(1, 120);
        String road = dice.pick(locality.streets());
        org.addAddress(address(house + " " + (practice.street() == null ? road : practice.street()),
                district.town(), locality.county(), postcode(district.outward())));
        return org;
    }

    private Location siteLocation(Site site) {
        Location location = baseLocation(site.locationId(), site.label(), "si", "Site");
        location.getMeta().addProfile(UkCore.LOCATION);
        location.addIdentifier().setSystem(UkCore.ODS_SITE_SYSTEM).setValue(site.odsSiteCode());
        String type = site.mentalHealth() ? "PSYCHF" : site.wards().isEmpty() ? "COMM" : "HOSP";
        String display = switch (type) {
            case "PSYCHF" -> "Psychatric Care Facility";
            case "COMM" -> "Community Location";
            default -> "Hospital";
        };
        location.addType(new Code("http://terminology.hl7.org/CodeSystem/v3-RoleCode", type, display).concept());
        location.addTelecom(phone(String.format("0116 496 0%03d", 200 + site.ordinal())));
        location.setAddress(address(site.street(), site.town(), site.locality().county(), site.postcode()));
        return location;
    }

    private Ward ward(Site site, int number, Site.WardPlan plan) {
        String wardId = "ward-" + site.slug() + "-" + number;
        Location ward = baseLocation(wardId, plan.name() + ", " + site.label(), "wa", "Ward");
        ward.getMeta().addProfile(UkCore.LOCATION);
        ward.setAlias(List.of(new org.hl7.fhir.r4.model.StringType(plan.name())));
        ward.addType(new Code("http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                site.mentalHealth() ? "PHU" : "HU",
                site.mentalHealth() ? "Psychiatric hospital unit" : "Hospital unit").concept());
        ward.setPartOf(new Reference("Location/" + site.locationId()).setDisplay(site.label()));
        resources.add(ward);
        List<Bed> beds = new ArrayList<>();
        for (int b = 1; b <= plan.beds(); b++) {
            String bedId = String.format("bed-%s-%d-%02d", site.slug(), number, b);
            String status = bedStatus();
            String label = String.format("Bed %02d", b);
            Location bed = baseLocation(bedId, plan.name() + " " + label, "bd", "Bed");
            bed.getMeta().addProfile(UkCore.LOCATION);
            bed.setOperationalStatus(new Coding("http://terminology.hl7.org/CodeSystem/v2-0116", status,
                    bedStatusDisplay(status)));
            bed.setPartOf(new Reference("Location/" + wardId).setDisplay(plan.name()));
            resources.add(bed);
            beds.add(new Bed(bedId, label, wardId, status));
        }
        return new Ward(wardId, plan.name(), site, Collections.unmodifiableList(beds));
    }

    private String bedStatus() {
        double roll = dice.between(0.0, 1.0);
        if (roll < 0.80) {
            return "O";
        }
        if (roll < 0.92) {
            return "U";
        }
        return roll < 0.97 ? "H" : "C";
    }

    private static String bedStatusDisplay(String status) {
        return switch (status) {
            case "O" -> "Occupied";
            case "U" -> "Unoccupied";
            case "H" -> "Housekeeping";
            default -> "Closed";
        };
    }

    private static Location baseLocation(String id, String name, String physicalType, String physicalDisplay) {
        Location location = new Location();
        location.setId(id);
        location.setStatus(Location.LocationStatus.ACTIVE);
        location.setName(name);
        location.setMode(Location.LocationMode.INSTANCE);
        location.setPhysicalType(new Code("http://terminology.hl7.org/CodeSystem/location-physical-type",
                physicalType, physicalDisplay).concept());
        location.setManagingOrganization(trustReference());
        return location;
    }

    private List<Team> teams() {
        List<Team> teams = new ArrayList<>();
        for (Locality locality : Locality.values()) {
            teams.add(team(TrustService.DISTRICT_NURSING, locality.slug(), "District Nursing Team, " + locality.label(),
                    Site.baseFor(locality), List.of(locality), StaffRole.DISTRICT_NURSE, StaffRole.DISTRICT_NURSE,
                    StaffRole.COMMUNITY_STAFF_NURSE, StaffRole.COMMUNITY_STAFF_NURSE,
                    StaffRole.HEALTHCARE_ASSISTANT, StaffRole.HEALTHCARE_ASSISTANT));
        }
        List<Locality> north = List.of(Locality.CHARNWOOD, Locality.NORTH_WEST_LEICESTERSHIRE, Locality.MELTON);
        List<Locality> city = List.of(Locality.LEICESTER_CITY);
        List<Locality> southEast = List.of(Locality.HINCKLEY_AND_BOSWORTH, Locality.HARBOROUGH,
                Locality.BLABY_OADBY_WIGSTON, Locality.RUTLAND);
        List<Locality> all = List.of(Locality.values());
        List<Locality> county = all.stream().filter(l -> l != Locality.LEICESTER_CITY).toList();
        teams.add(team(TrustService.COMMUNITY_THERAPY, "north", "Community Therapy Team, North",
                Site.LOUGHBOROUGH, north, StaffRole.PHYSIOTHERAPIST, StaffRole.PHYSIOTHERAPIST,
                StaffRole.OCCUPATIONAL_THERAPIST, StaffRole.OCCUPATIONAL_THERAPIST));
        teams.add(team(TrustService.COMMUNITY_THERAPY, "city", "Community Therapy Team, City",
                Site.LEICESTER_COMMUNITY_HUB, city, StaffRole.PHYSIOTHERAPIST, StaffRole.PHYSIOTHERAPIST,
                StaffRole.OCCUPATIONAL_THERAPIST, StaffRole.OCCUPATIONAL_THERAPIST));
        teams.add(team(TrustService.COMMUNITY_THERAPY, "south-east", "Community Therapy Team, South and East",
                Site.HINCKLEY, southEast, StaffRole.PHYSIOTHERAPIST, StaffRole.PHYSIOTHERAPIST,
                StaffRole.OCCUPATIONAL_THERAPIST, StaffRole.OCCUPATIONAL_THERAPIST));
        teams.add(team(TrustService.URGENT_COMMUNITY_RESPONSE, "city", "Urgent Community Response, City",
                Site.LEICESTER_COMMUNITY_HUB, List.of(Locality.LEICESTER_CITY, Locality.BLABY_OADBY_WIGSTON),
                StaffRole.ADVANCED_CLINICAL_PRACTITIONER, StaffRole.COMMUNITY_STAFF_NURSE,
                StaffRole.PHYSIOTHERAPIST, StaffRole.HEALTHCARE_ASSISTANT));
        teams.add(team(TrustService.URGENT_COMMUNITY_RESPONSE, "county", "Urgent Community Response, County",
                Site.LOUGHBOROUGH, county.stream().filter(l -> l != Locality.BLABY_OADBY_WIGSTON).toList(),
                StaffRole.ADVANCED_CLINICAL_PRACTITIONER, StaffRole.COMMUNITY_STAFF_NURSE,
                StaffRole.PHYSIOTHERAPIST, StaffRole.HEALTHCARE_ASSISTANT));
        teams.add(team(TrustService.INTERMEDIATE_CARE, null, "Intermediate Care and Reablement Team",
                Site.LOUGHBOROUGH, all, StaffRole.OCCUPATIONAL_THERAPIST, StaffRole.PHYSIOTHERAPIST,
                StaffRole.COMMUNITY_STAFF_NURSE, StaffRole.SUPPORT_WORKER, StaffRole.SUPPORT_WORKER));
        teams.add(team(TrustService.HEART_FAILURE, null, "Community Heart Failure Team",
                Site.LEICESTER_COMMUNITY_HUB, all, StaffRole.SPECIALIST_NURSE, StaffRole.SPECIALIST_NURSE));
        teams.add(team(TrustService.RESPIRATORY, null, "Community Respiratory Team", Site.LEICESTER_COMMUNITY_HUB,
                all, StaffRole.SPECIALIST_NURSE, StaffRole.SPECIALIST_NURSE, StaffRole.PHYSIOTHERAPIST));
        teams.add(team(TrustService.COMMUNITY_INPATIENTS, null, "Community Hospital Ward Team", Site.LOUGHBOROUGH,
                all, StaffRole.WARD_NURSE, StaffRole.WARD_NURSE, StaffRole.COMMUNITY_STAFF_NURSE,
                StaffRole.COMMUNITY_STAFF_NURSE, StaffRole.HEALTHCARE_ASSISTANT, StaffRole.HEALTHCARE_ASSISTANT,
                StaffRole.ADVANCED_CLINICAL_PRACTITIONER));
        teams.add(team(TrustService.CHILDRENS_COMMUNITY_NURSING, null, "Children's Community Nursing Team",
                Site.LEICESTER_COMMUNITY_HUB, all, StaffRole.CHILDRENS_NURSE, StaffRole.CHILDRENS_NURSE,
                StaffRole.CHILDRENS_NURSE));
        teams.add(team(TrustService.CAMHS, "city", "CAMHS Community Team, City", Site.LEICESTER_COMMUNITY_HUB,
                List.of(Locality.LEICESTER_CITY, Locality.BLABY_OADBY_WIGSTON), StaffRole.CONSULTANT_PSYCHIATRIST,
                StaffRole.COMMUNITY_PSYCHIATRIC_NURSE, StaffRole.CLINICAL_PSYCHOLOGIST));
        teams.add(team(TrustService.CAMHS, "county", "CAMHS Community Team, County", Site.LOUGHBOROUGH,
                county.stream().filter(l -> l != Locality.BLABY_OADBY_WIGSTON).toList(),
                StaffRole.CONSULTANT_PSYCHIATRIST, StaffRole.COMMUNITY_PSYCHIATRIC_NURSE,
                StaffRole.CLINICAL_PSYCHOLOGIST));
        teams.add(team(TrustService.NEURODEVELOPMENTAL, null, "Neurodevelopmental Assessment Team",
                Site.LEICESTER_COMMUNITY_HUB, all, StaffRole.CONSULTANT_PAEDIATRICIAN,
                StaffRole.SPEECH_AND_LANGUAGE_THERAPIST, StaffRole.CLINICAL_PSYCHOLOGIST));
        teams.add(team(TrustService.LEARNING_DISABILITY, null, "Community Learning Disability Team",
                Site.WIGSTON_HEALTH_CENTRE, all, StaffRole.LEARNING_DISABILITY_NURSE,
                StaffRole.LEARNING_DISABILITY_NURSE, StaffRole.CONSULTANT_PSYCHIATRIST,
                StaffRole.SPEECH_AND_LANGUAGE_THERAPIST));
        teams.add(cmht("city", "City", Site.LEICESTER_COMMUNITY_HUB, city));
        teams.add(cmht("north", "North", Site.LOUGHBOROUGH, north));
        teams.add(cmht("south", "South", Site.HINCKLEY, List.of(Locality.HINCKLEY_AND_BOSWORTH,
                Locality.BLABY_OADBY_WIGSTON, Locality.HARBOROUGH)));
        teams.add(cmht("rutland", "Rutland", Site.RUTLAND_MEMORIAL, List.of(Locality.RUTLAND)));
        teams.add(team(TrustService.MEMORY_ASSESSMENT, null, "Memory Assessment Service Team",
                Site.LEICESTER_MENTAL_HEALTH_UNIT, all, StaffRole.CONSULTANT_PSYCHIATRIST,
                StaffRole.COMMUNITY_PSYCHIATRIC_NURSE, StaffRole.COMMUNITY_PSYCHIATRIC_NURSE));
        teams.add(team(TrustService.TALKING_THERAPIES, null, "NHS Talking Therapies Team",
                Site.LEICESTER_COMMUNITY_HUB, all, StaffRole.PSYCHOLOGICAL_WELLBEING_PRACTITIONER,
                StaffRole.PSYCHOLOGICAL_WELLBEING_PRACTITIONER, StaffRole.CLINICAL_PSYCHOLOGIST));
        teams.add(team(TrustService.CRISIS, null, "Crisis Resolution and Home Treatment Team",
                Site.LEICESTER_MENTAL_HEALTH_UNIT, all, StaffRole.COMMUNITY_PSYCHIATRIC_NURSE,
                StaffRole.COMMUNITY_PSYCHIATRIC_NURSE, StaffRole.SUPPORT_WORKER,
                StaffRole.CONSULTANT_PSYCHIATRIST));
        teams.add(team(TrustService.MENTAL_HEALTH_INPATIENTS, null, "Mental Health Inpatient Ward Team",
                Site.LEICESTER_MENTAL_HEALTH_UNIT, all, StaffRole.WARD_NURSE, StaffRole.WARD_NURSE,
                StaffRole.COMMUNITY_PSYCHIATRIC_NURSE, StaffRole.HEALTHCARE_ASSISTANT,
                StaffRole.HEALTHCARE_ASSISTANT, StaffRole.CONSULTANT_PSYCHIATRIST));
        return teams;
    }

    private Team cmht(String area, String label, Site base, List<Locality> localities) {
        return team(TrustService.COMMUNITY_MENTAL_HEALTH, area, "Community Mental Health Team, " + label, base,
                localities, StaffRole.CONSULTANT_PSYCHIATRIST, StaffRole.COMMUNITY_PSYCHIATRIC_NURSE,
                StaffRole.COMMUNITY_PSYCHIATRIC_NURSE, StaffRole.SOCIAL_WORKER, StaffRole.SUPPORT_WORKER);
    }

    private Team team(TrustService service, String area, String name, Site base, List<Locality> localities,
                      StaffRole... roles) {
        String id = "team-" + service.slug() + (area == null ? "" : "-" + area);
        List<StaffMember> staff = new ArrayList<>();
        for (StaffRole role : roles) {
            staffCount++;
            String number = String.format("%03d", staffCount);
            Heritage heritage = dice.weighted(List.of(Heritage.values()), h -> h.hasNames() ? h.weight(true) : 0);
            boolean female = dice.chance(role.doctor() ? 0.5 : 0.8);
            staff.add(new StaffMember("staff-" + number, "role-" + number, role, dice.pick(heritage.given(female)),
                    dice.pick(heritage.family()), female, id));
        }
        return new Team(id, name, service, base, List.copyOf(localities), List.copyOf(staff));
    }

    private HealthcareService healthcareService(TrustService service, List<Team> teams) {
        HealthcareService hs = new HealthcareService();
        hs.setId(service.healthcareServiceId());
        hs.getMeta().addProfile(UkCore.HEALTHCARE_SERVICE);
        hs.setActive(true);
        hs.setProvidedBy(trustReference());
        hs.addType(new CodeableConcept().setText(service.label()));
        hs.addSpecialty(service.specialty().concept());
        hs.setName(service.label());
        hs.setComment(service.division().label());
        Map<String, Site> bases = new LinkedHashMap<>();
        teams.stream().filter(t -> t.service() == service).forEach(t -> bases.put(t.base().locationId(), t.base()));
        if (service == TrustService.COMMUNITY_INPATIENTS) {
            for (Site site : Site.values()) {
                if (!site.wards().isEmpty() && !site.mentalHealth()) {
                    bases.put(site.locationId(), site);
                }
            }
        }
        bases.values().forEach(site -> hs.addLocation(new Reference("Location/" + site.locationId())
                .setDisplay(site.label())));
        hs.addTelecom(phone(String.format("0116 496 0%03d", 300 + service.ordinal())));
        return hs;
    }

    private Practitioner practitioner(StaffMember member) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(member.practitionerId());
        practitioner.getMeta().addProfile(UkCore.PRACTITIONER);
        practitioner.addIdentifier().setSystem(STAFF_NUMBER_SYSTEM)
                .setValue("CW" + member.practitionerId().substring("staff-".length()));
        practitioner.setActive(true);
        HumanName name = practitioner.addName().setUse(NameUse.OFFICIAL).setFamily(member.family())
                .addGiven(member.given());
        if (member.role().doctor()) {
            name.addPrefix("Dr");
        }
        practitioner.setGender(member.female() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        String email = (member.given() + "." + member.family()).toLowerCase(Locale.ROOT).replaceAll("[^a-z.]", "")
                + member.practitionerId().substring("staff-".length()) + "@charnwood.nhs.example";
        practitioner.addTelecom(new ContactPoint().setSystem(ContactPointSystem.EMAIL).setValue(email)
                .setUse(ContactPointUse.WORK));
        return practitioner;
    }

    private PractitionerRole practitionerRole(StaffMember member, Team team) {
        PractitionerRole role = new PractitionerRole();
        role.setId(member.practitionerRoleId());
        role.getMeta().addProfile(UkCore.PRACTITIONER_ROLE);
        role.setActive(true);
        role.setPractitioner(new Reference("Practitioner/" + member.practitionerId()).setDisplay(member.displayName()));
        role.setOrganization(trustReference());
        CodeableConcept code = new CodeableConcept().setText(member.role().title());
        if (member.role().occupation() != null) {
            code.addCoding(member.role().occupation().coding());
        }
        code.addCoding(member.role().jobRole().coding());
        role.addCode(code);
        role.addSpecialty(team.service().specialty().concept());
        role.addLocation(new Reference("Location/" + team.base().locationId()).setDisplay(team.base().label()));
        role.addHealthcareService(new Reference("HealthcareService/" + team.service().healthcareServiceId())
                .setDisplay(team.service().label()));
        role.addTelecom(phone(String.format("0116 496 0%03d", 400 + Integer.parseInt(
                member.practitionerId().substring("staff-".length())) % 600)));
        return role;
    }

    private CareTeam careTeam(Team team) {
        CareTeam careTeam = new CareTeam();
        careTeam.setId(team.careTeamId());
        careTeam.setStatus(CareTeam.CareTeamStatus.ACTIVE);
        careTeam.setName(team.name());
        for (StaffMember member : team.staff()) {
            CareTeam.CareTeamParticipantComponent participant = careTeam.addParticipant();
            participant.addRole(new CodeableConcept().setText(member.role().title()));
            participant.setMember(new Reference("PractitionerRole/" + member.practitionerRoleId())
                    .setDisplay(member.displayName()));
        }
        careTeam.addManagingOrganization(trustReference());
        careTeam.addTelecom(phone(String.format("0116 496 0%03d", 700 + teamsIndex(team))));
        return careTeam;
    }

    private int teamsIndex(Team team) {
        return Math.abs(team.careTeamId().hashCode()) % 300;
    }

    static Reference trustReference() {
        return new Reference("Organization/" + TrustShape.TRUST_ORGANIZATION_ID).setDisplay(TrustShape.TRUST_NAME);
    }

    static ContactPoint phone(String number) {
        return new ContactPoint().setSystem(ContactPointSystem.PHONE).setValue(number).setUse(ContactPointUse.WORK);
    }

    static Address address(String line, String town, String county, String postcode) {
        return new Address().setUse(Address.AddressUse.WORK).setType(Address.AddressType.BOTH).addLine(line)
                .setCity(town).setDistrict(county).setPostalCode(postcode).setCountry("GB");
    }

    private String postcode(String outward) {
        return outward + " " + dice.between(1, 9) + dice.letter(POSTCODE_UNIT_LETTERS)
                + dice.letter(POSTCODE_UNIT_LETTERS);
    }

    /** Royal Mail never uses C, I, K, M, O or V in the last two letters of a postcode. */
    static final String POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";
}
