package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TrustShapeGeneratorTests {

    private final TrustShape trust = new TrustShapeGenerator().generate();
    private final Map<String, Resource> byId = trust.resources().stream()
            .collect(Collectors.toMap(r -> r.fhirType() + "/" + r.getIdElement().getIdPart(), Function.identity()));

    @Test
    void publishesTheStableIdsOtherModulesRelyOn() {
        assertThat(byId).containsKeys("Organization/trust-r9c", "Organization/gp-c82901",
                "Location/site-loughborough", "Location/ward-loughborough-1", "Location/bed-loughborough-1-01",
                "Location/site-melton", "Location/site-hinckley", "Location/site-rutland",
                "Location/ward-leicester-mhu-1", "HealthcareService/district-nursing", "HealthcareService/camhs",
                "HealthcareService/community-mental-health", "CareTeam/team-district-nursing-charnwood",
                "CareTeam/team-community-mental-health-city", "Practitioner/staff-001", "PractitionerRole/role-001");
        for (TrustService service : TrustService.values()) {
            assertThat(byId).containsKey("HealthcareService/" + service.healthcareServiceId());
        }
    }

    @Test
    void isTheSameEveryTime() {
        IParser parser = FhirContexts.r4().newJsonParser();
        TrustShape again = new TrustShapeGenerator().generate();
        assertThat(parser.encodeResourceToString(again.transaction()))
                .isEqualTo(parser.encodeResourceToString(new TrustShapeGenerator().generate().transaction()));
    }

    @Test
    void givesEveryResourceAUniqueId() {
        assertThat(byId).hasSize(trust.resources().size());
    }

    @Test
    void resolvesEveryReferenceInsideTheDirectory() {
        for (Resource resource : trust.resources()) {
            for (String reference : References.literal(resource)) {
                assertThat(byId).as(resource.getId() + " -> " + reference).containsKey(reference);
            }
        }
    }

    @Test
    void nestsBedsInWardsAndWardsInSites() {
        Location bed = (Location) byId.get("Location/bed-loughborough-1-01");
        assertThat(bed.getPhysicalType().getCodingFirstRep().getCode()).isEqualTo("bd");
        assertThat(bed.getOperationalStatus().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0116");
        assertThat(bed.getPartOf().getReference()).isEqualTo("Location/ward-loughborough-1");
        Location ward = (Location) byId.get("Location/ward-loughborough-1");
        assertThat(ward.getPhysicalType().getCodingFirstRep().getCode()).isEqualTo("wa");
        assertThat(ward.getPartOf().getReference()).isEqualTo("Location/site-loughborough");
        assertThat(trust.wards(true)).isNotEmpty().allSatisfy(w -> assertThat(w.site().mentalHealth()).isTrue());
        assertThat(trust.wards().stream().mapToLong(w -> w.occupiedBeds().size()).sum()).isPositive();
    }

    @Test
    void usesWellFormedOdsCodes() {
        for (Resource resource : trust.resources()) {
            if (resource instanceof Organization org) {
                assertThat(org.getIdentifierFirstRep().getSystem())
                        .isEqualTo("https://fhir.nhs.uk/Id/ods-organization-code");
                assertThat(org.getIdentifierFirstRep().getValue()).matches("R[A-Z0-9]{2}|[A-Z][0-9]{5}");
            }
            if (resource instanceof Location location && location.hasIdentifier()) {
                assertThat(location.getIdentifierFirstRep().getValue()).matches("R9C[0-9]{2}");
            }
        }
    }

    @Test
    void loadsAsATransactionOfPuts() {
        Bundle bundle = trust.transaction();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).allSatisfy(e -> {
            assertThat(e.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
            assertThat(e.getRequest().getUrl()).isEqualTo(e.getFullUrl());
        });
    }

    @Test
    void coversEveryLocalityForEveryService() {
        for (TrustService service : TrustService.values()) {
            for (Locality locality : Locality.values()) {
                assertThat(trust.teamFor(service, locality).service()).isEqualTo(service);
            }
        }
        assertThat(trust.teamFor(TrustService.DISTRICT_NURSING, Locality.RUTLAND).careTeamId())
                .isEqualTo("team-district-nursing-rutland");
    }

    @Test
    void everyPracticeIsInTheTownItsNameImplies() {
        Map<String, Organization> practices = trust.practices().stream().collect(Collectors.toMap(
                TrustShape.Practice::name, p -> (Organization) byId.get("Organization/" + p.organizationId())));
        java.util.Set<String> towns = new java.util.TreeSet<>();
        for (Locality locality : Locality.values()) {
            locality.districts().forEach(d -> towns.add(d.town()));
        }

        for (TrustShape.Practice practice : trust.practices()) {
            org.hl7.fhir.r4.model.Address address = practices.get(practice.name()).getAddressFirstRep();
            assertThat(address.getCity()).as(practice.name()).isEqualTo(practice.district().town());
            assertThat(address.getPostalCode()).as(practice.name()).startsWith(practice.district().outward() + " ");
            assertThat(practice.locality().districts()).as(practice.name()).contains(practice.district());
            String name = practice.name().toUpperCase(java.util.Locale.ROOT);
            for (String town : towns) {
                // "Ashby Market Street Practice" names ASHBY-DE-LA-ZOUCH by its first word, as people do.
                if (name.contains(town.split("-")[0])) {
                    assertThat(address.getCity()).as(practice.name()).isEqualTo(town);
                }
            }
            if (practice.street() != null) {
                assertThat(address.getLine().get(0).getValue()).as(practice.name()).endsWith(" " + practice.street());
            }
        }
        assertThat(practices.get("Uppingham Medical Practice").getAddressFirstRep().getCity()).isEqualTo("UPPINGHAM");
        assertThat(practices.get("Catmose Surgery").getAddressFirstRep().getCity()).isEqualTo("OAKHAM");
        assertThat(practices.get("Belvoir Road Surgery").getAddressFirstRep().getCity()).isEqualTo("COALVILLE");
        assertThat(practices.get("Welland Park Surgery").getAddressFirstRep().getCity())
                .isEqualTo("MARKET HARBOROUGH");
        assertThat(practices.get("Lutterworth Medical Practice").getAddressFirstRep().getCity())
                .isEqualTo("LUTTERWORTH");
    }
}
