package org.charnwood.app.audit.balp;

import ca.uhn.fhir.parser.StrictErrorHandler;
import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class AuditEventBuilderTests {

    private static final Requester NURSE = new Requester(Requester.Kind.STAFF, "acc-7", "Practitioner/n1",
            Set.of(AccessRole.REGISTERED_NURSE), "RT5", "ward-app", List.of(), null, null, "10.1.2.3", Instant.now());

    @Test
    void writesAStrictlyValidR4AuditEventWithTheBalpElements() {
        AuditRecord record = new AuditEventBuilder(Instant.parse("2026-11-25T10:00:00.123Z"), Codes.REST)
                .server("charnwood", "host1")
                .requester(NURSE, Direction.TO_CLIENT)
                .subtype(Codes.interaction("read")).action("R").outcome(0, null)
                .patient("p1").resource("Patient/p1/_history/2").requestId("req-1").breakGlassGrant("g-1")
                .build();

        AuditEvent event = FhirContexts.r4().newJsonParser().setParserErrorHandler(new StrictErrorHandler())
                .parseResource(AuditEvent.class, record.json(42));

        assertThat(event.getIdElement().getIdPart()).isEqualTo("42");
        assertThat(event.getMeta().getProfile().get(0).getValue()).endsWith("IHE.BasicAudit.PatientRead");
        assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("BTG");
        assertThat(event.getAgent()).hasSize(4);
        assertThat(event.getAgentFirstRep().getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("R8001");
        assertThat(event.getAgent().get(1).getType().getCodingFirstRep().getCode()).isEqualTo("110152");
        assertThat(event.getAgent().get(3).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
        assertThat(record.who()).isEqualTo("Practitioner/n1");
        assertThat(record.purpose()).isEqualTo("BTG");
        assertThat(record.patients()).containsExactly("p1");
    }

    @Test
    void aFailureCarriesItsOutcomeAndNoProfile() {
        AuditRecord record = new AuditEventBuilder(Instant.now(), Codes.REST)
                .requester(Requester.anonymous("10.0.0.1"), Direction.TO_SERVER)
                .subtype(Codes.interaction("create")).action("C").outcome(4, "403 CHARNWOOD-3001: not allowed")
                .build();

        AuditEvent event = FhirContexts.r4().newJsonParser().setParserErrorHandler(new StrictErrorHandler())
                .parseResource(AuditEvent.class, record.json(1));

        assertThat(event.getOutcome().toCode()).isEqualTo("4");
        assertThat(event.getOutcomeDesc()).startsWith("403");
        assertThat(event.getMeta().getProfile()).isEmpty();
        assertThat(record.who()).isEqualTo("anonymous");
    }

    @Test
    void eachEventCarriesTheAgentsOfItsOwnRequesterAndDirection() {
        Requester other = new Requester(Requester.Kind.STAFF, "acc-8", "Practitioner/n2",
                Set.of(AccessRole.HEALTH_CARE_ASSISTANT), "RT6", null, List.of(), null, null, "10.9.9.9", Instant.now());
        for (int round = 0; round < 2; round++) {
            AuditEvent toClient = parse(event(NURSE, Direction.TO_CLIENT));
            AuditEvent toServer = parse(event(NURSE, Direction.TO_SERVER));
            AuditEvent second = parse(event(other, Direction.TO_CLIENT));

            assertThat(toClient.getAgent().get(1).getType().getCodingFirstRep().getCode()).isEqualTo("110152");
            assertThat(toServer.getAgent().get(1).getType().getCodingFirstRep().getCode()).isEqualTo("110153");
            assertThat(toClient.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/n1");
            assertThat(second.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/n2");
            assertThat(second.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("10.9.9.9");
            assertThat(second.getAgent()).hasSize(3);
            assertThat(second.getSource().getSite()).isEqualTo("host1");
            var patient = second.getEntityFirstRep();
            assertThat(patient.getWhat().getReference()).isEqualTo("Patient/p1");
            assertThat(patient.getType().getCode()).isEqualTo("1");
            assertThat(patient.getType().getDisplay()).isEqualTo("Person");
            assertThat(patient.getRole().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/object-role");
            assertThat(patient.getRole().getDisplay()).isEqualTo("Patient");
        }
    }

    private static AuditRecord event(Requester requester, Direction direction) {
        return new AuditEventBuilder(Instant.now(), Codes.REST).server("charnwood", "host1")
                .requester(requester, direction).subtype(Codes.interaction("search-type")).action("E")
                .outcome(0, null).patient("p1").build();
    }

    private static AuditEvent parse(AuditRecord record) {
        return FhirContexts.r4().newJsonParser().setParserErrorHandler(new StrictErrorHandler())
                .parseResource(AuditEvent.class, record.json(7));
    }

    @Test
    void theStoredFactsRenderTheSameEventAsTheBuilder() {
        Requester carer = new Requester(Requester.Kind.CARER, "acc-9", "RelatedPerson/c1", Set.of(), null, "portal",
                List.of(), "p1", null, "10.4.4.4", Instant.now(), "P9");
        Requester both = new Requester(Requester.Kind.STAFF, "acc-10", "Practitioner/d1",
                Set.of(AccessRole.CLINICIAN, AccessRole.INFORMATION_GOVERNANCE, AccessRole.NURSE_MANAGER), "RT5", null,
                List.of(), null, null, "10.5.5.5", Instant.now());
        List<AuditEventBuilder> events = List.of(
                new AuditEventBuilder(Instant.parse("2026-11-25T10:00:00.123Z"), Codes.REST).server("charnwood", "host1")
                        .requester(NURSE, Direction.TO_SERVER).subtype(Codes.interaction("search-type")).action("E")
                        .outcome(0, null).patients(List.of("p2", "p1"))
                        .query("GET /fhir/Observation?subject=Patient/p1&code=8867-4", "subject=Patient/p1&code=8867-4")
                        .requestId("req-9"),
                new AuditEventBuilder(Instant.parse("2026-11-25T10:00:01Z"), Codes.REST).server("charnwood", null)
                        .requester(carer, Direction.TO_CLIENT).subtype(Codes.interaction("read")).action("R")
                        .outcome(0, "304 Not Modified").patient("p1").resource("Observation/o1/_history/3"),
                new AuditEventBuilder(Instant.parse("2026-11-25T10:00:02Z"), Codes.SECURITY_ALERT)
                        .server("charnwood", "host1").requester(both, Direction.TO_SERVER).subtype(Codes.BREAK_GLASS)
                        .action("E").outcome(0, null).patient("p3").breakGlassGrant("g-1,g-2")
                        .detail("Unconscious in the emergency department, no other record available"),
                new AuditEventBuilder(Instant.parse("2026-11-25T10:00:03Z"), Codes.REST)
                        .requester(Requester.anonymous("10.0.0.1"), Direction.DELETE)
                        .subtype(Codes.interaction("delete")).subtype(Codes.interaction("transaction")).action("D")
                        .outcome(8, "500").resource("Patient/p4"),
                new AuditEventBuilder(Instant.parse("2026-11-25T10:00:04Z"), Codes.IMPORT).server("charnwood", "host1")
                        .subtype(Codes.interaction("operation")).action("C").outcome(0, null)
                        .profile("IHE.BasicAudit.Create").detail("12 resources stored in this part of the import"));
        for (AuditEventBuilder builder : events) {
            AuditRecord record = builder.build();
            assertThat(EventFacts.isFacts(record.body())).isTrue();
            String rendered = "{\"resourceType\":\"AuditEvent\",\"id\":\"5\"," + builder.render().substring(1);
            assertThat(record.json(5)).isEqualTo(rendered);
            parse(record);
        }
        // A search's facts are a fraction of its rendering, and small enough to be stored uncompressed.
        AuditRecord search = events.get(0).build();
        assertThat(search.body().length()).isLessThan(search.json(5).length() / 3).isLessThan(1000);
    }

    @Test
    void rowsStoredBeforeFactsAreServedAsTheyWereStored() {
        String stored = "{\"resourceType\":\"AuditEvent\",\"id\":\"12\",\"action\":\"R\"}";

        assertThat(AuditEventBuilder.json(12, stored)).isEqualTo(stored);
    }
}
