package org.charnwood.app.security.policy;

import org.charnwood.fhir.FhirRepository;
import org.charnwood.app.repository.ResourceChangeNoticed;
import org.charnwood.app.repository.ResourceChangeNoticesMissed;
import org.hl7.fhir.r4.model.CareTeam;
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
 * The patients a member of staff has a legitimate relationship with, worked out from the search index: first who they
 * are and where they work now, then the patients those hold. Their teams are the active CareTeams, within their
 * period, listing them (their Practitioner or any of their PractitionerRoles in force) as a participant whose own
 * period covers now; they hold a relationship with a patient through
 * <ul>
 *   <li>an active EpisodeOfCare, within its period, whose {@code team} is one of their teams or whose
 *       {@code careManager} is them or one of their roles in force;</li>
 *   <li>an active CareTeam for the patient, within its period, with them, or one of their teams, as a participant
 *       whose own period covers now;</li>
 *   <li>an active or on-hold ServiceRequest (referral) whose performer is them, one of their teams, or a
 *       HealthcareService one of their PractitionerRoles works in (the service's triage list), while that service
 *       is not marked inactive (a service that has closed holds no caseload through the referrals left with it); a referral
 *       tagged {@code identity-status#unverified} (a self-referral whose sender nobody has checked yet) counts
 *       only with a subject that is itself an unverified provisional Patient, so that whoever knows someone's
 *       NHS number and date of birth cannot open that person's record to a service by referring them;</li>
 *   <li>a booked, arrived, checked-in or fulfilled Appointment with them or one of their teams as a participant
 *       taking part (not one who declined, nor staff there for information only) beside the patient, from a while
 *       before its start until a while after: a booking nobody marked fulfilled or cancelled does not keep the record
 *       open for ever, and one months ahead does not open it yet. A fulfilled visit counts in the same window, since
 *       the clinician who made it writes it up afterwards; a cancelled one, or one the patient did not come to,
 *       opens nothing.</li>
 * </ul>
 * A PractitionerRole counts while it is not marked inactive and its period covers now; a Practitioner marked inactive
 * holds nothing. Answers are kept per person for a short time and forgotten as soon as any resource of those types
 * (or a Practitioner or PractitionerRole) changes, at every node whichever node relayed the change, so a new referral
 * opens the record, and an ended episode closes it, within a moment of being relayed. A node that may have missed
 * notices of changes relayed elsewhere forgets every answer; the time limit is what is left should a notice go astray.
 * A period ending or starting, or an appointment's window closing or opening, changes nothing stored, so an answer is
 * kept no later than the first such moment among what it was worked out from: the access it gives ends on time.
 */
public class CareRelationships {

    /** Types whose changes can change someone's relationships. */
    static final Set<String> RELEVANT_TYPES = Set.of("EpisodeOfCare", "CareTeam", "ServiceRequest", "Appointment",
            "PractitionerRole", "HealthcareService");

    /** The tag a self-referral and its provisional Patient carry until triage confirms who the person is. */
    static final String IDENTITY_STATUS = org.charnwood.app.security.ProvisionalRecords.IDENTITY_STATUS;

    /**
     * Whether the resource at {@code %1$s} is in force now: not marked {@code active} false, and within its
     * {@code date} (the period of a PractitionerRole, CareTeam or EpisodeOfCare) when it has one.
     */
    private static final String IN_FORCE = """
            not exists (select 1 from idx_token a where a.res_pk = %1$s and a.param = 'active' and a.code = 'false')
            and not exists (select 1 from idx_date d where d.res_pk = %1$s and d.param = 'date'
                              and (d.hi < (select now from clock) or d.lo > (select now from clock)))""";

    /**
     * Who the person is and where they work, as rows {@code kind Type/id} with, for a team, its content: the person
     * (a Practitioner), their PractitionerRoles in force, the services those roles serve, and the active CareTeams
     * in force that list them or one of those roles as a participant (whose own period is judged on the content).
     * Nothing when their Practitioner record is no longer active: they no longer practise here. The two conditions
     * are those that roles and teams be in force; {@link #HOLDERS_AT_ANY_TIME} leaves them out.
     */
    private static final String HOLDERS_TEMPLATE = """
            with clock(now) as (select ?::timestamptz),
            me(t, i) as (select * from unnest(?::text[], ?::text[])),
            roles(pk, i) as (
                select r.res_pk, r.res_id from fhir_resource r
                 where r.res_type = 'PractitionerRole' and not r.deleted
                   and r.res_id in (select i from me where t = 'PractitionerRole')
                union
                select r.res_pk, r.res_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
                 where x.res_type = 'PractitionerRole' and x.param = 'practitioner' and not r.deleted
                   and (x.target_type, x.target_id) in (select t, i from me where t = 'Practitioner')),
            practising(yes) as (
                select not exists (
                    select 1 from fhir_resource p join idx_token a on a.res_pk = p.res_pk
                     where p.res_type = 'Practitioner' and not p.deleted and a.param = 'active' and a.code = 'false'
                       and p.res_id in (select i from me where t = 'Practitioner'
                                        union
                                        select x.target_id from idx_reference x join roles r on r.pk = x.res_pk
                                         where x.param = 'practitioner' and x.target_type = 'Practitioner'))),
            working(pk, i) as (
                select pk, i from roles where (select yes from practising) and %1$s),
            actors(t, i) as (
                select t, i from me where t = 'Practitioner' and (select yes from practising)
                union
                select 'PractitionerRole', i from working)
            select 'actor', t || '/' || i, null::text, null::timestamptz from actors
            union all
            select distinct 'holder', 'HealthcareService/' || x.target_id, null::text, null::timestamptz
              from idx_reference x join working w on w.pk = x.res_pk
             where x.param = 'service' and x.target_type = 'HealthcareService'
               and not exists (select 1 from fhir_resource h join idx_token a on a.res_pk = h.res_pk
                                where h.res_type = 'HealthcareService' and h.res_id = x.target_id and not h.deleted
                                  and a.param = 'active' and a.code = 'false')
            union all
            select distinct 'team', 'CareTeam/' || r.res_id, v.content, null::timestamptz
              from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
              join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
             where x.res_type = 'CareTeam' and x.param = 'participant' and not r.deleted
               and (x.target_type, x.target_id) in (select t, i from actors)
               and exists (select 1 from idx_token s where s.res_pk = x.res_pk and s.param = 'status'
                             and s.code = 'active')
               and %2$s
            union all
            select 'changes', null, null, min(c.at) from (
                select %3$s from idx_date d where d.param = 'date' and d.res_pk in (select pk from roles)
                union all
                select %3$s from idx_reference x join idx_date d on d.res_pk = x.res_pk and d.param = 'date'
                 where x.res_type = 'CareTeam' and x.param = 'participant'
                   and (x.target_type, x.target_id) in (select t, i from actors)) c(at)
             where c.at > (select now from clock) and c.at < 'infinity'""";

    /**
     * The next moment a resource with the date row {@code d} comes into force (its period's start, while that is
     * still to come) or goes out of it (the moment after its period's last instant): when an answer worked out from
     * it may stop being true. A row that will change nothing more gives a moment already past, which is left out.
     */
    private static final String NEXT_CHANGE =
            "case when d.lo > (select now from clock) then d.lo else d.hi + interval '1 microsecond' end";

    private static final String HOLDERS = HOLDERS_TEMPLATE.formatted(IN_FORCE.formatted("pk"),
            IN_FORCE.formatted("r.res_pk"), NEXT_CHANGE);

    /**
     * The same, whatever the periods of roles, teams and memberships: what a write must not name to make a
     * relationship, since one that starts later (a team joined from next month) would still be self-made.
     */
    private static final String HOLDERS_AT_ANY_TIME = HOLDERS_TEMPLATE.formatted("true", "true", NEXT_CHANGE);

    /**
     * The patients the holders (given as two arrays, types and ids) hold a relationship with, each with the kind and,
     * for a CareTeam or an Appointment, the content of what it comes through (whose participants are then judged).
     * An Appointment counts from {@code before} its start until {@code after} it; an episode or care team while now
     * is within its period. A last row, of kind {@code changes}, holds the next moment one of the resources naming
     * the holders comes into force or goes out of it (an appointment's window opening, up to {@code reach}, or
     * closing; a period starting or ending), if any: until then the answer stands unless something is written.
     */
    private static final String SQL = """
            with clock(now) as (select ?::timestamptz),
            span(first, last, reach) as (select ?::timestamptz, ?::timestamptz, ?::timestamptz),
            holders(t, i) as (select * from unnest(?::text[], ?::text[])),
            naming(k, kind) as (
                select distinct x.res_pk, x.res_type from idx_reference x
                 where ((x.res_type = 'EpisodeOfCare' and x.param in ('team', 'care-manager', 'care-manager-role'))
                        or (x.res_type = 'CareTeam' and x.param = 'participant')
                        or (x.res_type = 'ServiceRequest' and x.param = 'performer')
                        or (x.res_type = 'Appointment' and x.param = 'actor'))
                   and (x.target_type, x.target_id) in (select t, i from holders)
                   and exists (select 1 from idx_token s where s.res_pk = x.res_pk and s.param = 'status'
                                 and s.code = any(case x.res_type
                                     when 'Appointment' then array['booked', 'arrived', 'checked-in', 'fulfilled']
                                     when 'ServiceRequest' then array['active', 'on-hold']
                                     else array['active'] end))),
            holding(k, kind) as (
                select n.k, n.kind from naming n
                 where case n.kind
                       when 'Appointment' then exists (
                           select 1 from idx_date d where d.res_pk = n.k and d.param = 'date'
                              and d.lo between (select first from span) and (select last from span))
                       when 'ServiceRequest' then true
                       else %2$s end),
            changes(at) as (
                select case when d.lo <= (select last from span)
                            then d.lo + ((select now from clock) - (select first from span)) + interval '1 microsecond'
                            else d.lo - ((select last from span) - (select now from clock)) end
                  from naming n join idx_date d on d.res_pk = n.k and d.param = 'date'
                 where n.kind = 'Appointment' and d.lo between (select first from span) and (select reach from span)
                union all
                select %3$s
                  from naming n join idx_date d on d.res_pk = n.k and d.param = 'date'
                 where n.kind in ('EpisodeOfCare', 'CareTeam'))
            select distinct p.target_id, h.kind, v.content, null::timestamptz from holding h
              join idx_reference p on p.res_pk = h.k and p.target_type = 'Patient'
                                  and p.param in ('patient', 'subject', 'actor')
              left join fhir_resource r on h.kind in ('CareTeam', 'Appointment') and r.res_pk = h.k
              left join fhir_resource_version v on v.res_pk = r.res_pk and v.version = r.version
             where not exists (select 1 from idx_token u where u.res_pk = h.k and u.res_type = 'ServiceRequest'
                                 and u.param = '_tag' and u.system = '%1$s' and u.code = 'unverified')
                or exists (select 1 from fhir_resource q join idx_token u on u.res_pk = q.res_pk
                            where q.res_type = 'Patient' and q.res_id = p.target_id and not q.deleted
                              and u.param = '_tag' and u.system = '%1$s' and u.code = 'unverified')
            union all
            select null, 'changes', null, min(at) from changes
             where at > (select now from clock) and at < 'infinity'"""
            .formatted(IDENTITY_STATUS, IN_FORCE.formatted("n.k"), NEXT_CHANGE);

    /** The referrals any of the actors (given as two arrays, types and ids) sent, as {@code ServiceRequest/id}. */
    private static final String REFERRALS_SENT = """
            select 'ServiceRequest/' || r.res_id from idx_reference x join fhir_resource r on r.res_pk = x.res_pk
             where x.res_type = 'ServiceRequest' and x.param = 'requester' and not r.deleted
               and (x.target_type, x.target_id) in (select * from unnest(?::text[], ?::text[]))""";

    private final FhirRepository repository;
    private final Clock clock;
    private final Duration timeToLive;
    private final Duration appointmentBefore;
    private final Duration appointmentAfter;
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

    /**
     * Who the person is and where they work, as they stand now.
     *
     * @param actors  the person and their PractitionerRoles in force
     * @param holders those, the services the roles serve and the care teams they take part in now
     * @param changes the next moment a role, team or membership of theirs starts or ends; null when none will
     */
    private record Holders(Set<String> actors, Set<String> holders, Instant changes) {
        static final Holders NONE = new Holders(Set.of(), Set.of(), null);
    }

    /**
     * The patients a person has a relationship with now, and the next moment something they were worked out from
     * comes into force or goes out of it (null when nothing will): the answer is true until then.
     */
    private record Found(Set<String> patients, Instant changes) {
    }

    /**
     * @param appointmentBefore how long before an appointment's start it gives a relationship (to prepare for it)
     * @param appointmentAfter  how long after its start it still does (to write it up), however its status was left
     */
    public CareRelationships(FhirRepository repository, Clock clock, Duration timeToLive, Duration appointmentBefore,
                             Duration appointmentAfter) {
        this.repository = repository;
        this.clock = clock;
        this.timeToLive = timeToLive;
        this.appointmentBefore = appointmentBefore;
        this.appointmentAfter = appointmentAfter;
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
            return find(fhirUser, clock.instant()).patients();
        }
        // After a change, the person's concurrent requests would each run the query: one does, the others wait.
        synchronized (finding.computeIfAbsent(fhirUser, u -> new Object())) {
            k = current(fhirUser);
            if (k != null) {
                return k.patients();
            }
            long seen = changes.get();
            Instant now = clock.instant();
            Found found = find(fhirUser, now);
            // Kept no longer than the answer is true: a period ending or an appointment's window closing within
            // the time limit ends the answer with it, as one starting or opening does.
            known.put(fhirUser, new Known(found.patients(), earliest(now.plus(timeToLive), found.changes()), seen));
            return found.patients();
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
        return find(fhirUser, clock.instant()).patients();
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
        Holders found = holdersNow(fhirUser, now);
        Set<String> holders = new HashSet<>(found.holders());
        Set<String> actors = new HashSet<>(found.actors());
        Set<String> referrals = found.actors().isEmpty() ? Set.of()
                : rowsFor(REFERRALS_SENT, found.actors());
        holders.add(fhirUser);
        actors.add(fhirUser);
        Work work = new Work(Set.copyOf(holders), Set.copyOf(actors), Set.copyOf(referrals));
        if (!timeToLive.isZero()) {
            knownWork.put(fhirUser, new KnownWork(work, earliest(now.plus(timeToLive), found.changes()), seen));
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
            case CareTeam c -> c.getParticipant().forEach(p -> holdersNamed.add(p.getMember()));
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

    /**
     * The person's references and those of their roles, teams and services ({@code Type/id}), whether in force now
     * or at some other time: whom a write about a patient must not name to make the person a relationship.
     */
    private Set<String> holdersOf(String fhirUser) {
        return fhirUser.indexOf('/') < 0 ? Set.of() : holders(fhirUser, clock.instant(), true).holders();
    }

    /**
     * Who the person is and where they work now: their PractitionerRoles not ended or inactive, the services those
     * serve, and the active care teams they (or one of those roles) take part in now, by the team's period and by
     * their own participant period (someone who left the team on a date no longer holds its caseload). Nothing when
     * their Practitioner record is marked inactive.
     */
    private Holders holdersNow(String fhirUser, Instant now) {
        return holders(fhirUser, now, false);
    }

    private Holders holders(String fhirUser, Instant now, boolean atAnyTime) {
        int slash = fhirUser.indexOf('/');
        if (slash < 0) {
            return Holders.NONE;
        }
        String type = fhirUser.substring(0, slash);
        String id = fhirUser.substring(slash + 1);
        Set<String> actors = new HashSet<>();
        Set<String> holders = new HashSet<>();
        java.util.Map<String, String> teams = new java.util.HashMap<>();
        Instant[] changes = {null};
        repository.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(atAnyTime ? HOLDERS_AT_ANY_TIME : HOLDERS)) {
                ps.setTimestamp(1, java.sql.Timestamp.from(now));
                ps.setArray(2, c.createArrayOf("text", new String[]{type}));
                ps.setArray(3, c.createArrayOf("text", new String[]{id}));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getString(1)) {
                            case "actor" -> actors.add(rs.getString(2));
                            case "team" -> teams.put(rs.getString(2), rs.getString(3));
                            case "changes" -> changes[0] = instant(rs.getTimestamp(4));
                            default -> holders.add(rs.getString(2));
                        }
                    }
                }
                return null;
            }
        });
        teams.forEach((team, content) -> {
            CareTeam read = careTeam(content);
            if (atAnyTime || takesPartNow(read, actors, now)) {
                holders.add(team);
            }
            changes[0] = earliest(changes[0], membershipChanges(read, actors, now));
        });
        holders.addAll(actors);
        return new Holders(Set.copyOf(actors), Set.copyOf(holders), changes[0]);
    }

    private Found find(String fhirUser, Instant now) {
        Holders found = holdersNow(fhirUser, now);
        if (found.holders().isEmpty()) {
            return new Found(Set.of(), found.changes());
        }
        Set<String> patients = new HashSet<>();
        java.util.List<String[]> throughContent = new java.util.ArrayList<>();
        Instant[] changes = {found.changes()};
        String[] types = found.holders().stream().map(h -> h.substring(0, h.indexOf('/'))).toArray(String[]::new);
        String[] ids = found.holders().stream().map(h -> h.substring(h.indexOf('/') + 1)).toArray(String[]::new);
        repository.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(SQL)) {
                Instant last = now.plus(appointmentBefore);
                ps.setTimestamp(1, java.sql.Timestamp.from(now));
                ps.setTimestamp(2, java.sql.Timestamp.from(now.minus(appointmentAfter)));
                ps.setTimestamp(3, java.sql.Timestamp.from(last));
                // A window opening later than the answer can be kept changes nothing it says.
                ps.setTimestamp(4, java.sql.Timestamp.from(last.plus(timeToLive)));
                ps.setArray(5, c.createArrayOf("text", types));
                ps.setArray(6, c.createArrayOf("text", ids));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if ("changes".equals(rs.getString(2))) {
                            changes[0] = earliest(changes[0], instant(rs.getTimestamp(4)));
                        } else if (rs.getString(3) == null) {
                            patients.add(rs.getString(1));
                        } else {
                            throughContent.add(new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
                        }
                    }
                }
                return null;
            }
        });
        // A patient's care team counts only while one of the person's holders takes part in it now; an appointment
        // only while one of them, and the patient, take part in it.
        for (String[] row : throughContent) {
            if ("Appointment".equals(row[1])) {
                if (takesPart(appointment(row[2]), found.holders(), row[0])) {
                    patients.add(row[0]);
                }
                continue;
            }
            CareTeam team = careTeam(row[2]);
            changes[0] = earliest(changes[0], membershipChanges(team, found.holders(), now));
            if (!patients.contains(row[0]) && takesPartNow(team, found.holders(), now)) {
                patients.add(row[0]);
            }
        }
        return new Found(Set.copyOf(patients), changes[0]);
    }

    /**
     * Whether one of the members named (the person, their roles, teams or services) and the patient both take part in
     * the appointment. R4 gives each participant a {@code status}: one who has {@code declined} is not taking part,
     * so it counts for neither side, whereas {@code tentative} and {@code needs-action} are still invited (they
     * prepare for it as one who {@code accepted} does). A member of staff whose {@code required} is
     * {@code information-only} is, in R4's words, "excluded from the appointment, and might not be informed of it
     * taking place": they do not take part and hold nothing through it. The patient marked so still counts, since
     * that is R4's case of an appointment about them rather than for them (two clinicians discussing their results),
     * which its clinicians need the record for. An unreadable appointment counts for nobody.
     */
    private static boolean takesPart(org.hl7.fhir.r4.model.Appointment appointment, Set<String> members,
                                     String patientId) {
        if (appointment == null) {
            return false;
        }
        boolean staff = false;
        boolean patient = false;
        for (org.hl7.fhir.r4.model.Appointment.AppointmentParticipantComponent p : appointment.getParticipant()) {
            if (p.getStatus() == org.hl7.fhir.r4.model.Appointment.ParticipationStatus.DECLINED) {
                continue;
            }
            Set<String> actor = typesAndIds(java.util.List.of(p.getActor()));
            patient |= actor.contains("Patient/" + patientId);
            staff |= p.getRequired() != org.hl7.fhir.r4.model.Appointment.ParticipantRequired.INFORMATIONONLY
                    && actor.stream().anyMatch(members::contains);
        }
        return staff && patient;
    }

    private static org.hl7.fhir.r4.model.Appointment appointment(String json) {
        try {
            return org.charnwood.fhir.FhirContexts.r4().newJsonParser()
                    .parseResource(org.hl7.fhir.r4.model.Appointment.class, json);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The care team stored as this JSON; null when it cannot be read (it then counts for nobody). */
    private static CareTeam careTeam(String json) {
        try {
            return org.charnwood.fhir.FhirContexts.r4().newJsonParser().parseResource(CareTeam.class, json);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /**
     * The next moment after now at which one of the members named joins the care team or leaves it, by the periods
     * of the participants naming them; null when none will.
     */
    private static Instant membershipChanges(CareTeam team, Set<String> members, Instant now) {
        Instant next = null;
        if (team != null) {
            for (CareTeam.CareTeamParticipantComponent p : team.getParticipant()) {
                if (p.hasPeriod() && typesAndIds(java.util.List.of(p.getMember())).stream().anyMatch(members::contains)) {
                    next = earliest(next, nextChange(p.getPeriod(), now));
                }
            }
        }
        return next;
    }

    /**
     * The next moment after now at which {@link #covers} changes its answer for the period: its start, while that is
     * to come, else the moment after its end (ends read at their precision); null when it will not change.
     */
    static Instant nextChange(org.hl7.fhir.r4.model.Period period, Instant now) {
        try {
            if (period.hasStart()) {
                Instant start = org.charnwood.fhir.search.DateRange.parse(
                        period.getStartElement().getValueAsString()).lo();
                if (start.isAfter(now)) {
                    return start;
                }
            }
            if (period.hasEnd()) {
                Instant after = org.charnwood.fhir.search.DateRange.parse(
                        period.getEndElement().getValueAsString()).hi().plus(1, java.time.temporal.ChronoUnit.MICROS);
                return after.isAfter(now) ? after : null;
            }
            return null;
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /** The earlier of two moments, either of which may be null (never). */
    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant instant(java.sql.Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /**
     * Whether one of the members named takes part in the care team now: a participant naming them whose period, if
     * it has one, covers now. An unreadable team (null) counts for nobody.
     */
    private static boolean takesPartNow(CareTeam team, Set<String> members, Instant now) {
        if (team == null) {
            return false;
        }
        for (CareTeam.CareTeamParticipantComponent p : team.getParticipant()) {
            if (typesAndIds(java.util.List.of(p.getMember())).stream().anyMatch(members::contains)
                    && covers(p.getPeriod(), now)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a Period covers the instant, each end taken at its precision ({@code 2026-03-31} ends at that day's
     * last moment, in the trust's zone, as the search index reads it); no period, or an open end, covers all time.
     */
    static boolean covers(org.hl7.fhir.r4.model.Period period, Instant now) {
        if (period == null) {
            return true;
        }
        try {
            if (period.hasStart() && org.charnwood.fhir.search.DateRange.parse(
                    period.getStartElement().getValueAsString()).lo().isAfter(now)) {
                return false;
            }
            return !(period.hasEnd() && org.charnwood.fhir.search.DateRange.parse(
                    period.getEndElement().getValueAsString()).hi().isBefore(now));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    /** The one column a statement over a set of references ({@code Type/id}, as two array parameters) answers. */
    private Set<String> rowsFor(String sql, Set<String> references) {
        String[] types = references.stream().map(h -> h.substring(0, h.indexOf('/'))).toArray(String[]::new);
        String[] ids = references.stream().map(h -> h.substring(h.indexOf('/') + 1)).toArray(String[]::new);
        return repository.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, c.createArrayOf("text", types));
                ps.setArray(2, c.createArrayOf("text", ids));
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
        if (RELEVANT_TYPES.contains(noticed.change().resourceType())
                || "Practitioner".equals(noticed.change().resourceType())) {
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
