package org.charnwood.app.triage;

import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.OnlyPatientsShown;
import org.charnwood.app.security.Requester;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.search.AccessScope;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service's triage queue, waiting list and compliance, for the pages and the JSON API alike. Only the
 * service's own clinicians and nurses (the access policy's triage check) and backend systems granted read on
 * ServiceRequest may see them.
 */
@Component
class ServiceQueues {

    /** The queue: referrals awaiting a decision, and those waiting for the referrer. */
    record Queue(String serviceId, String serviceName, List<Referral> awaiting, List<Referral> onHold) {
    }

    /**
     * The waiting list: accepted referrals not yet seen, longest wait first, and how the clocks did for the
     * referrals received this month.
     */
    record WaitingList(String serviceId, String serviceName, Instant at, List<Referral> waiting, YearMonth month,
                       List<ClockCompliance> compliance) {
    }

    private final AccessPolicy policy;
    private final ReferralRecords records;
    private final TriageSettings settings;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ServiceQueues(AccessPolicy policy, ReferralRecords records, TriageSettings settings, Clock clock,
                  ApplicationEventPublisher events) {
        this.policy = policy;
        this.records = records;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    Queue queue(Requester requester, String serviceId) {
        AccessScope scope = scopeFor(requester, serviceId);
        Instant now = clock.instant();
        List<Referral> open = records.open(serviceId, scope, now);
        Comparator<Referral> order = Comparator.comparingInt(Referral::priorityRank)
                .thenComparing(Referral::received);
        return new Queue(serviceId, records.serviceName(serviceId),
                open.stream().filter(r -> r.stage() == ReferralStage.AWAITING_TRIAGE).sorted(order).toList(),
                open.stream().filter(r -> r.stage() == ReferralStage.ON_HOLD).sorted(order).toList());
    }

    WaitingList waitingList(Requester requester, String serviceId) {
        AccessScope scope = scopeFor(requester, serviceId);
        Instant now = clock.instant();
        List<Referral> waiting = records.open(serviceId, scope, now).stream()
                .filter(r -> r.stage() == ReferralStage.ACCEPTED && r.firstContact() == null)
                .sorted(Comparator.comparing(Referral::received)).toList();
        YearMonth month = YearMonth.from(now.atZone(settings.zone()));
        Instant monthStart = month.atDay(1).atStartOfDay(settings.zone()).toInstant();
        List<ClockCompliance> compliance = ClockCompliance.of(records.receivedSince(serviceId, monthStart, scope, now));
        // The list read every open referral and counted the month's: its record names only the patients listed.
        Set<String> listed = new TreeSet<>();
        waiting.forEach(r -> listed.add(r.patientId()));
        events.publishEvent(new OnlyPatientsShown(listed));
        return new WaitingList(serviceId, records.serviceName(serviceId), now, waiting, month, compliance);
    }

    /** What the requester may see of the service's referrals; refuses anyone else. */
    AccessScope scopeFor(Requester requester, String serviceId) {
        if (!records.serviceExists(serviceId)) {
            throw FhirException.of(404, ErrorCode.UNKNOWN_SERVICE, IssueType.NOTFOUND, "No such service");
        }
        AccessDecision decision = requester.kind() == Requester.Kind.SYSTEM
                ? policy.read(requester, FhirAction.SEARCH, "ServiceRequest")
                : policy.triage(requester, serviceId);
        return decision.scope();
    }
}
