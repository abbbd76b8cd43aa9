package org.charnwood.app.security.policy;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.app.repository.ResourceChangeNoticed;
import org.charnwood.app.repository.ResourceChangeNoticesMissed;
import org.springframework.context.event.EventListener;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The patients a member of staff has a legitimate relationship with, worked out in one SQL statement over the
 * search index. Their teams are the active CareTeams listing them (their Practitioner or any of their
 * PractitionerRoles) as a participant; they hold a relationship with a patient through
 * <ul>
 *   <li>an active EpisodeOfCare whose {@code team} is one of their teams or whose {@code careManager} is them;</li>
 *   <li>an active CareTeam for the patient with them, or one of their teams, as a participant;</li>
 *   <li>an active or on-hold ServiceRequest (referral) whose performer is them, one of their teams, or a
 *       HealthcareService one of their PractitionerRoles works in (the service's triage list); a referral
 *       tagged {@code identity-status#unverified} (a self-referral whose sender nobody has checked yet) counts
 *       only with a subject that is itself an unverified provisional Patient, so that whoever knows someone's
 *       NHS number and date of birth cannot open that person's record to a service by referring them;</li>
 *   <li>a booked, arrived or checked-in Appointment with them or one of their teams as a participant.</li>
 * </ul>
 * Answers are kept per person for a short time and forgotten as soon as any resource of those types (or a
 * PractitionerRole) changes, at every node whichever node relayed the change, so a new referral opens the record,
 * and an ended episode closes it, within a moment of being relayed. A node that may have missed notices of changes
 * relayed elsewhere forgets every answer; the time limit is what is left should a notice go astray.
 */
public class CareRelationships {

    /** Types whose changes can change someone's relationships. */
    static final Set<String> RELEVANT_TYPES = Set.of("EpisodeOfCare", "CareTeam", "ServiceRequest", "Appointment",
            "PractitionerRole");

    /** The tag a self-referral and its provisional Patient carry until triage confirms who the person is. */
    static final String IDENTITY_STATUS = org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS;

    /** The person, their PractitionerRoles, the CareTeams they are in and the services they work in. */
    private static final String HOLDERS = """
            with me(t, i) as (select * from unnest(?::text[], ?::text[])),
            actors(t, i) as (
                select t, i from me
                union
                select 'PractitionerRole', r.res_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
                 where x.res_type = 'PractitionerRole' and x.param = 'practitioner' and not r.deleted
                   and (x.target_type, x.target_id) in (select t, i from me where t = 'Practitioner')),
            holders(t, i) as (
                select t, i from actors
                union
                select 'CareTeam', r.res_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
                 where x.res_type = 'CareTeam' and x.param = 'participant'
                   and (x.target_type, x.target_id) in (select t, i from actors)
                   and exists (select 1 from idx_token s where s.res_pk = x.res_pk and s.param = 'status'
                                 and s.code = 'active')
                union
                select 'HealthcareService', x.target_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
                 where x.res_type = 'PractitionerRole' and x.param = 'service' and not r.deleted
                   and x.target_type = 'HealthcareService'
                   and ('PractitionerRole', r.res_id) in (select t, i from actors))""";

    private static final String SQL = HOLDERS + """
            ,
            holding(k) as (
                select x.res_pk from idx_reference x
                 where ((x.res_type = 'EpisodeOfCare' and x.param in ('team', 'care-manager'))
                        or (x.res_type = 'CareTeam' and x.param = 'participant')
                        or (x.res_type = 'ServiceRequest' and x.param = 'performer')
                        or (x.res_type = 'Appointment' and x.param = 'actor'))
                   and (x.target_type, x.target_id) in (select t, i from holders)
                   and exists (select 1 from idx_token s where s.res_pk = x.res_pk and s.param = 'status'
                                 and s.code = any(case x.res_type
                                     when 'Appointment' then array['booked', 'arrived', 'checked-in']
                                     when 'ServiceRequest' then array['active', 'on-hold']
                                     else array['active'] end)))
            select distinct p.target_id from holding h
              join idx_reference p on p.res_pk = h.k and p.target_type = 'Patient'
                                  and p.param in ('patient', 'subject', 'actor')
             where not exists (select 1 from idx_token u where u.res_pk = h.k and u.res_type = 'ServiceRequest'
                                 and u.param = '_tag' and u.system = '%1$s' and u.code = 'unverified')
                or exists (select 1 from fhir_resource q join idx_token u on u.res_pk = q.res_pk
                            where q.res_type = 'Patient' and q.res_id = p.target_id and not q.deleted
                              and u.param = '_tag' and u.system = '%1$s' and u.code = 'unverified')"""
            .formatted(IDENTITY_STATUS);

    /**
     * Who work may be addressed to on the person's behalf (their holders), who they are (their actors), and the
     * referrals they or one of their roles sent; one row each, as {@code kind Type/id}.
     */
    private static final String WORK = HOLDERS + """
             select 'holder ' || t || '/' || i from holders
             union all
             select 'actor ' || t || '/' || i from actors
             union all
             select 'referral ServiceRequest/' || r.res_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
              where x.res_type = 'ServiceRequest' and x.param = 'requester' and not r.deleted
                and (x.target_type, x.target_id) in (select t, i from actors)""";

    private final FhirRepository repository;
    private final Clock clock;
    private final Duration timeToLive;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    /** One lock per person, so requests that find no answer wait for the one working it out. */
    private final ConcurrentHashMap<String, Object> finding = new ConcurrentHashMap<>();
    /** Counts relevant changes: an answer worked out before the latest change is not used. */
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    private final ConcurrentHashMap<String, KnownWork> knownWork = new ConcurrentHashMap<>();

    private record Known(Set<String> patients, Instant until, long changes) {
    }

    private record KnownWork(Work work, Instant until, long changes) {
    }

    /**
     * What work reaches a member of staff by whom it names, each as {@code Type/id}.
     *
     * @param holders   the person, their PractitionerRoles, their active CareTeams and the HealthcareServices their
     *                  roles serve: whom work addressed to them names
     * @param actors    the person and their PractitionerRoles: whom work they asked for names as asking
     * @param referrals the ServiceRequests the person or one of their roles sent
     */
    public record Work(Set<String> holders, Set<String> actors, Set<String> referrals) {
        static final Work NONE = new Work(Set.of(), Set.of(), Set.of());
    }

    public CareRelationships(FhirRepository repository, Clock clock, Duration timeToLive) {
        this.repository = repository;
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    /**
     * Ids of the patients the person ({@code Practitioner/x} or {@code PractitionerRole/y}) has a legitimate
     * relationship with; empty for anyone else.
     */
    public Set<String> patientsOf(String fhirUser) {
        if (!staffIdentity(fhirUser)) {
            return Set.of();
        }
        Known k = current(fhirUser);
        if (k != null) {
            return k.patients();
        }
        if (timeToLive.isZero()) {
            return find(fhirUser);
        }
        // After a change, the person's concurrent requests would each run the query: one does, the others wait.
        synchronized (finding.computeIfAbsent(fhirUser, u -> new Object())) {
            k = current(fhirUser);
            if (k != null) {
                return k.patients();
            }
            long seen = changes.get();
            Instant now = clock.instant();
            Set<String> patients = find(fhirUser);
            known.put(fhirUser, new Known(patients, now.plus(timeToLive), seen));
            return patients;
        }
    }

    /**
     * The same as {@link #patientsOf}, worked out now rather than remembered: for a write that must judge the person's
     * relationships as they stand after changes this node may not have heard of yet.
     */
    public Set<String> patientsOfNow(String fhirUser) {
        if (!staffIdentity(fhirUser)) {
            return Set.of();
        }
        return find(fhirUser);
    }

    /**
     * The person's {@link Work}: remembered, and forgotten, as their relationships are (it changes with the same
     * CareTeams, PractitionerRoles and referrals). Nothing for anyone not named as staff are.
     */
    public Work workOf(String fhirUser) {
        if (!staffIdentity(fhirUser)) {
            return Work.NONE;
        }
        KnownWork k = knownWork.get(fhirUser);
        if (k != null && k.changes() == changes.get() && k.until().isAfter(clock.instant())) {
            return k.work();
        }
        long seen = changes.get();
        Instant now = clock.instant();
        Set<String> holders = new HashSet<>();
        Set<String> actors = new HashSet<>();
        Set<String> referrals = new HashSet<>();
        for (String row : rowsFor(WORK, fhirUser)) {
            int space = row.indexOf(' ');
            String reference = row.substring(space + 1);
            switch (row.substring(0, space)) {
                case "holder" -> holders.add(reference);
                case "actor" -> actors.add(reference);
                default -> referrals.add(reference);
            }
        }
        holders.add(fhirUser);
        actors.add(fhirUser);
        Work work = new Work(Set.copyOf(holders), Set.copyOf(actors), Set.copyOf(referrals));
        if (!timeToLive.isZero()) {
            knownWork.put(fhirUser, new KnownWork(work, now.plus(timeToLive), seen));
        }
        return work;
    }

    /** Whether the person is named as staff are: {@code Practitioner/x} or {@code PractitionerRole/y}. */
    private static boolean staffIdentity(String fhirUser) {
        return fhirUser != null && (fhirUser.startsWith("Practitioner/") || fhirUser.startsWith("PractitionerRole/"));
    }

    /** The remembered answer, when it is still fresh and no relevant change came after it was worked out. */
    private Known current(String fhirUser) {
        Known k = known.get(fhirUser);
        return k != null && k.changes() == changes.get() && k.until().isAfter(clock.instant()) ? k : null;
    }

    /**
     * Whether a resource would give the person a relationship with its patient: an EpisodeOfCare whose team or care
     * manager, a CareTeam whose participant, a referral whose performer, or an Appointment whose participant is the
     * person, one of their roles or teams, or a service they work in. Used to stop staff giving themselves a
     * relationship with a patient they have none with (booking themselves an appointment to open a record).
     */
    public boolean wouldRelate(String fhirUser, org.hl7.fhir.r4.model.Resource content) {
        if (fhirUser == null || content == null) {
            return false;
        }
        java.util.List<org.hl7.fhir.r4.model.Reference> holdersNamed = new java.util.ArrayList<>();
        switch (content) {
            case org.hl7.fhir.r4.model.EpisodeOfCare e -> {
                holdersNamed.addAll(e.getTeam());
                holdersNamed.add(e.getCareManager());
            }
            case org.hl7.fhir.r4.model.CareTeam c -> c.getParticipant().forEach(p -> holdersNamed.add(p.getMember()));
            case org.hl7.fhir.r4.model.ServiceRequest r -> holdersNamed.addAll(r.getPerformer());
            case org.hl7.fhir.r4.model.Appointment a -> a.getParticipant().forEach(p -> holdersNamed.add(p.getActor()));
            default -> {
                return false;
            }
        }
        Set<String> named = typesAndIds(holdersNamed);
        if (named.isEmpty()) {
            return false;
        }
        Set<String> holders = holdersOf(fhirUser);
        return named.stream().anyMatch(holders::contains);
    }

    /**
     * References as {@code Type/id}, whether written relative, absolute or versioned, so that they compare with the
     * holders the index gives; references that name no resource are left out.
     */
    public static Set<String> typesAndIds(java.util.Collection<org.hl7.fhir.r4.model.Reference> references) {
        Set<String> named = new HashSet<>();
        for (org.hl7.fhir.r4.model.Reference r : references) {
            if (r != null && r.getReference() != null) {
                org.hl7.fhir.r4.model.IdType id = new org.hl7.fhir.r4.model.IdType(r.getReference());
                if (id.hasResourceType() && id.hasIdPart()) {
                    named.add(id.getResourceType() + "/" + id.getIdPart());
                }
            }
        }
        return named;
    }

    /** The person themselves and their PractitionerRoles ({@code Type/id}): who they are, not where they work. */
    public Set<String> actorsOf(String fhirUser) {
        if (fhirUser == null) {
            return Set.of();
        }
        Set<String> actors = new HashSet<>();
        for (String holder : holdersOf(fhirUser)) {
            if (holder.startsWith("Practitioner/") || holder.startsWith("PractitionerRole/")) {
                actors.add(holder);
            }
        }
        actors.add(fhirUser);
        return actors;
    }

    /** The person's references and those of their roles, teams and services ({@code Type/id}). */
    private Set<String> holdersOf(String fhirUser) {
        return fhirUser.indexOf('/') < 0 ? Set.of() : rowsFor(HOLDERS + " select t || '/' || i from holders", fhirUser);
    }

    private Set<String> find(String fhirUser) {
        return rowsFor(SQL, fhirUser);
    }

    /** The one column a statement over the person ({@code Type/id}, as its two array parameters) answers. */
    private Set<String> rowsFor(String sql, String fhirUser) {
        int slash = fhirUser.indexOf('/');
        return repository.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", new String[]{fhirUser.substring(0, slash)}));
                ps.setArray(2, c.createArrayOf("text", new String[]{fhirUser.substring(slash + 1)}));
                Set<String> out = new HashSet<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return Set.copyOf(out);
            }
        });
    }

    /** Forgets every answer: a change to a relevant resource may change anyone's relationships. */
    @EventListener
    public void on(ResourceChangeNoticed noticed) {
        if (RELEVANT_TYPES.contains(noticed.change().resourceType())) {
            forgetAll();
        }
    }

    /** Forgets every answer: the changes this node did not hear of may have ended relationships. */
    @EventListener
    public void on(ResourceChangeNoticesMissed missed) {
        forgetAll();
    }

    /** Forgets every answer now. */
    public void forgetAll() {
        changes.incrementAndGet();
        known.clear();
        knownWork.clear();
    }
}
