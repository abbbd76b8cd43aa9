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
}
