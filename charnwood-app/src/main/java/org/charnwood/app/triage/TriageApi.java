package org.charnwood.app.triage;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.fhir.FhirException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A service's waiting list and this month's clock compliance as plain JSON, for flow dashboards:
 * {@code GET /api/services/{serviceId}/waiting-list}. Same access as the pages (the service's triaging staff),
 * or a backend system granted read on ServiceRequest.
 */
@RestController
class TriageApi {

    private final ServiceQueues queues;
    private final RequesterSource requesters;

    TriageApi(ServiceQueues queues, RequesterSource requesters) {
        this.queues = queues;
        this.requesters = requesters;
    }

    @GetMapping(value = "/api/services/{serviceId}/waiting-list", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> waitingList(@PathVariable String serviceId, HttpServletRequest request) {
        ServiceQueues.WaitingList list;
        try {
            list = queues.waitingList(requesters.current(request), serviceId);
        } catch (FhirException e) {
            var issue = e.outcome().getIssueFirstRep();
            return ResponseEntity.status(e.status()).body(Map.of("error",
                    issue.getDetails().getCodingFirstRep().getCode() == null ? "" : issue.getDetails()
                            .getCodingFirstRep().getCode(), "message", e.getMessage()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", "HealthcareService/" + list.serviceId());
        body.put("serviceName", list.serviceName());
        body.put("generatedAt", list.at().toString());
        body.put("waiting", list.waiting().stream().map(r -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("referral", "ServiceRequest/" + r.id());
            row.put("patient", "Patient/" + r.patientId());
            row.put("priority", r.priority());
            row.put("received", r.received().toString());
            row.put("accepted", r.accepted() == null ? null : r.accepted().toString());
            ClockReading wait = r.clock(ReferralClock.REFERRAL_TO_FIRST_CONTACT);
            row.put("daysWaited", wait == null ? null : wait.elapsed().toDays());
            row.put("weeksWaited", wait == null ? null : wait.weeksWaited());
            row.put("clocks", clocks(r.clocks()));
            return row;
        }).toList());
        body.put("complianceMonth", list.month().toString());
        body.put("compliance", list.compliance().stream().map(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clock", c.clock().code());
            row.put("met", c.met());
            row.put("breached", c.breached());
            row.put("pending", c.pending());
            row.put("percentMet", c.percentMet());
            return row;
        }).toList());
        return ResponseEntity.ok(body);
    }

    private static List<Map<String, Object>> clocks(List<ClockReading> readings) {
        return readings.stream().map(c -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("clock", c.clock().code());
            row.put("state", c.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            row.put("dueBy", c.dueBy().toString());
            row.put("elapsedMinutes", c.elapsed().toMinutes());
            row.put("remainingMinutes", c.remaining().toMinutes());
            return row;
        }).toList();
    }
}
