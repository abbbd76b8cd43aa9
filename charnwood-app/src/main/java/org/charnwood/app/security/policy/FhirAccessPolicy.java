package org.charnwood.app.security.policy;

import org.charnwood.app.security.AccessDecision;
import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.breakglass.BreakGlassGrants;
import org.charnwood.app.security.policy.SmartScope.Context;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.QueryStrings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.search.AccessScope;
import org.charnwood.fhir.search.AccessScope.Label;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.charnwood.fhir.search.SearchRequest;
import org.charnwood.fhir.search.TokenRestriction;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The access policy, deny by default. Each kind of caller starts from nothing and is given:
 * <ul>
 *   <li><b>staff</b> — the resource classes their roles' activities permit; clinical resources only of patients
 *       they have a legitimate relationship with (or an emergency grant for), and a patient's administrative
 *       resources (referrals, episodes, care teams, appointments, flags) on the same terms; demographic resources
 *       of any patient; Tasks about a patient as the clinical record, and besides those the Tasks
 *       addressed to them or asked for by them ({@link AddressedTasks}); restricted and sensitive labels only when
 *       a role permits;</li>
 *   <li><b>patients</b> — their own compartment and reference data, less what is withheld from them; they may
 *       write only {@link #PATIENT_WRITABLE} types about themselves;</li>
 *   <li><b>carers</b> — the compartments of the patients whose active proxy Consent names them, limited to the
 *       types it lists, less anything withheld, restricted or sensitive; no writes;</li>
 *   <li><b>systems</b> — what their {@code system/} scopes grant.</li>
 * </ul>
 * SMART scopes then narrow this (types, letters, search restrictions, the launch patient); they never widen it.
 */
public class FhirAccessPolicy implements AccessPolicy {

    /** What patients may write about themselves: answers to questionnaires sent to them. */
    static final Set<String> PATIENT_WRITABLE = Set.of("QuestionnaireResponse");

    /**
     * Compartment types staff see when they belong to no patient: the teams (CareTeams without a subject), group
     * lists of a service, appointments with nobody as patient (a team meeting), flags about a place, and work
     * between staff about no patient (Tasks). Clinical resources always belong to a patient.
     */
    static final Set<String> UNATTACHED_VISIBLE_TO_STAFF = Set.of("CareTeam", "Group", "List", "Schedule",
            "Communication", "CommunicationRequest", "Device", "Task", "Appointment", "AppointmentResponse", "Flag");

    /**
     * Compartment types that list other patients as their members: a Group of patients (a clinic's cohort, a
     * caseload) is in each member's compartment, and showing it to one member or their carer names all the others.
     * They are about the service's work, not the patient's care, so patients and carers never see them.
     */
    static final Set<String> LISTS_OF_OTHER_PATIENTS = Set.of("Group");

    /** What a patient (and a carer shown the whole record) may see of their compartment's types: all but those. */
    private static final Set<String> PATIENT_VISIBLE_TYPES = allTypesBut(LISTS_OF_OTHER_PATIENTS);

    private static final Set<Context> STAFF_CONTEXTS = Set.of(Context.USER, Context.PATIENT);
    private static final Set<Context> SYSTEM_CONTEXTS = Set.of(Context.SYSTEM);

    private final FhirRepository repository;
    private final CareRelationships relationships;
    private final ProxyConsents consents;
    private final BreakGlassGrants breakGlass;
    private final Clock clock;
    private final TokenRestriction restrictions;
    /** What staff with a set of activities see, less the patients: worked out once per set of activities. */
    private final Map<Set<Activity>, StaffView> staffViews = new ConcurrentHashMap<>();

    /**
     * The part of a member of staff's scope that follows from their activities alone.
     *
     * @param visible   the types they may read
     * @param types     the same, or null when that is every type (so the SQL need not test it)
     * @param open      demographic compartment types, seen whichever patient they belong to
     * @param hidden    the labels hidden from them
     */
    private record StaffView(Set<String> visible, Set<String> types, Set<String> open, Set<Label> hidden) {

        static StaffView of(Set<Activity> acts) {
            Set<String> visible = visibleTypes(acts);
            Set<String> open = new HashSet<>();
            // Only who the patient is: a patient's referrals, episodes, teams, appointments and flags say which
            // services they are in touch with, and are theirs to see within a relationship as the clinical record is.
            for (String t : visible) {
                if (ResourceClass.of(t) == ResourceClass.DEMOGRAPHIC && ResourceClass.inCompartment(t)) {
                    open.add(t);
                }
            }
            return new StaffView(visible, visible.size() == allTypes().size() ? null : visible, Set.copyOf(open),
                    Set.copyOf(hiddenFor(acts)));
        }
    }

    public FhirAccessPolicy(FhirRepository repository, CareRelationships relationships, ProxyConsents consents,
                            BreakGlassGrants breakGlass, Clock clock) {
        this.repository = repository;
        this.relationships = relationships;
        this.consents = consents;
        this.breakGlass = breakGlass;
        this.clock = clock;
        this.restrictions = new TokenRestriction(SearchParameterRegistry.r4());
    }

    @Override
    public AccessDecision read(Requester requester, FhirAction action, String type) {
        return switch (requester.kind()) {
            case ANONYMOUS -> throw unauthenticated();
            case SYSTEM -> systemRead(requester, action, type);
            case STAFF -> staffRead(requester, action, type);
            case PATIENT -> patientRead(requester, action, type);
            case CARER -> carerRead(requester, action, type);
        };
    }

    @Override
    public AccessDecision everything(Requester requester, String patientId) {
        if (requester.kind() == Requester.Kind.STAFF) {
            Set<Activity> acts = RoleActivities.of(requester.roles());
            if (!acts.contains(Activity.VIEW_CLINICAL_RECORD)) {
                throw forbidden(ErrorCode.ACCESS_DENIED, "Your role does not permit viewing clinical records");
            }
            Set<String> related = relationships.patientsOf(requester.fhirUser());
            Map<String, String> grants = breakGlass.activeFor(requester.fhirUser(), clock.instant());
            if (!related.contains(patientId) && !grants.containsKey(patientId)) {
                throw forbidden(ErrorCode.NO_LEGITIMATE_RELATIONSHIP, "You have no legitimate relationship with "
                        + "this patient; request emergency access (break-glass) if you must open the record");
            }
            AccessDecision d = staffRead(requester, FhirAction.EVERYTHING, null);
            List<String> emergency = related.contains(patientId) ? List.of() : List.of(grants.get(patientId));
            return new AccessDecision(requester, d.scope(), emergency);
        }
        return read(requester, FhirAction.EVERYTHING, null);
    }

    // --- reading -------------------------------------------------------------------------------------------

    private AccessDecision systemRead(Requester requester, FhirAction action, String type) {
        AccessScope scope = narrow(AccessScope.UNRESTRICTED, ScopeSet.of(requester.scopes(), SYSTEM_CONTEXTS),
                action, type, null);
        return new AccessDecision(requester, scope, List.of());
    }

    private AccessDecision staffRead(Requester requester, FhirAction action, String type) {
        return staffRead(requester, action, type, scopesApply(requester));
    }

    private AccessDecision staffRead(Requester requester, FhirAction action, String type, boolean applyScopes) {
        Set<Activity> acts = RoleActivities.of(requester.roles());
        StaffView view = staffViews.computeIfAbsent(acts, StaffView::of);
        if (view.visible().isEmpty()) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "Your role does not permit reading records");
        }
        if (type != null && !view.visible().contains(type)) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "Your role does not permit reading " + type + " resources");
        }
        // The relationship set is immutable and handed over as it is (AccessScope keeps an immutable set without
        // copying it); only emergency grants make a new one.
        Set<String> patients = relationships.patientsOf(requester.fhirUser());
        Map<String, String> grants = breakGlass.activeFor(requester.fhirUser(), clock.instant());
        List<String> emergency = List.of();
        Map<String, String> emergencyByPatient = Map.of();
        if (!grants.isEmpty()) {
            Set<String> reachable = new HashSet<>(patients);
            List<String> through = new ArrayList<>();
            Map<String, String> byPatient = new HashMap<>();
            grants.forEach((patient, grant) -> {
                if (reachable.add(patient)) {
                    through.add(grant);
                    byPatient.put(patient, grant);
                }
            });
            patients = Set.copyOf(reachable);
            emergency = through;
            emergencyByPatient = byPatient;
        }
        // A Task about a patient carries clinical words ("STAT: NEWS2 13 ..."): a role that may not read the clinical
        // record sees one only when it is addressed to them or asked for by them, not for a relationship alone.
        boolean clinical = acts.contains(Activity.VIEW_CLINICAL_RECORD);
        Map<String, Set<String>> typePatients = clinical ? Map.of() : Map.of("Task", Set.of());
        CareRelationships.Work work = relationships.workOf(requester.fhirUser());
        Set<AccessScope.Reach> reaches = new HashSet<>(AddressedTasks.of(work, clinical));
        // The referrals they sent, whoever the patient: what they wrote and asked of another service is theirs to
        // follow, relationship or not (the triage decisions on them reach them as Tasks focused on them).
        reaches.add(new AccessScope.Reach("ServiceRequest", Set.of("requester"), work.actors()));
        AccessScope scope = new AccessScope(view.types(), patients, view.open(), UNATTACHED_VISIBLE_TO_STAFF,
                view.hidden(), Map.of(), typePatients, reaches);
        if (applyScopes) {
            scope = narrow(scope, ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type,
                    requester.patientContext());
        }
        return new AccessDecision(requester, scope, emergency, emergencyByPatient);
    }

    private AccessDecision patientRead(Requester requester, FhirAction action, String type) {
        return patientRead(requester, action, type, scopesApply(requester));
    }

    private AccessDecision patientRead(Requester requester, FhirAction action, String type, boolean applyScopes) {
        if (!requester.identityVerifiedForRecordAccess()) {
            return unverifiedRead(requester, action, type);
        }
        String self = idOf(requester.fhirUser(), "Patient");
        if (self == null) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "The signed-in patient is not linked to a patient record");
        }
        AccessScope scope = new AccessScope(PATIENT_VISIBLE_TYPES, Set.of(self), Set.of(), Set.of(),
                SecurityLabels.WITHHELD_FROM_PATIENT, Map.of());
        if (applyScopes) {
            scope = narrow(scope, ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type, self);
        }
        return new AccessDecision(requester, scope, List.of());
    }

    private AccessDecision carerRead(Requester requester, FhirAction action, String type) {
        if (!requester.identityVerifiedForRecordAccess()) {
            return unverifiedRead(requester, action, type);
        }
        String carer = idOf(requester.fhirUser(), "RelatedPerson");
        Map<String, Set<String>> permitted = carer == null ? Map.of() : consents.permittedFor(carer);
        if (permitted.isEmpty()) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "No patient has given you proxy access, or it was withdrawn");
        }
        Set<String> types = PATIENT_VISIBLE_TYPES;
        if (permitted.values().stream().noneMatch(Set::isEmpty)) {
            // Every consent lists its types: the union of them, the patient themselves, and the reference data
            // they point at. Which patient's compartment each type may be seen in is narrowed below.
            types = new TreeSet<>();
            permitted.values().forEach(types::addAll);
            types.add("Patient");
            for (String t : allTypes()) {
                if (!ResourceClass.inCompartment(t)) {
                    types.add(t);
                }
            }
            types.removeAll(LISTS_OF_OTHER_PATIENTS);
        }
        if (type != null && !types.contains(type)) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "Proxy access does not cover " + type + " resources");
        }
        Set<Label> hidden = new HashSet<>(SecurityLabels.WITHHELD_FROM_PATIENT);
        hidden.addAll(SecurityLabels.RESTRICTED);
        hidden.addAll(SecurityLabels.VERY_RESTRICTED);
        hidden.addAll(SecurityLabels.SENSITIVE_CATEGORIES);
        hidden.addAll(consents.deniedLabelsFor(carer));
        AccessScope scope = new AccessScope(types, permitted.keySet(), Set.of(), Set.of(), hidden, Map.of(),
                typePatients(permitted));
        if (scopesApply(requester)) {
            scope = narrow(scope, ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type,
                    requester.patientContext());
        }
        return new AccessDecision(requester, scope, List.of());
    }

    /**
     * Each patient's consent speaks for their own record only: a compartment type is seen only in the
     * compartments of the patients whose consent covers it (so a carer for one patient who shared everything
     * and another who shared only appointments sees no conditions of the second). Types every patient shared
     * need no entry.
     */
    private static Map<String, Set<String>> typePatients(Map<String, Set<String>> permitted) {
        if (permitted.size() < 2) {
            return Map.of(); // one patient: the scope's types already are theirs
        }
        Map<String, Set<String>> byType = new HashMap<>();
        for (String t : allTypes()) {
            if (!ResourceClass.inCompartment(t) || "Patient".equals(t)) {
                continue;
            }
            Set<String> allowing = new HashSet<>();
            permitted.forEach((patient, shared) -> {
                if (shared.isEmpty() || shared.contains(t)) {
                    allowing.add(patient);
                }
            });
            if (allowing.size() < permitted.size()) {
                byType.put(t, allowing);
            }
        }
        return byType;
    }

    /**
     * A patient or carer whose identity NHS login proved below P9 (P5, P0) may not see a health record: NHS login
     * proves a person's identity at P9 only, and lower levels are for limited features that need no record. So
     * everything in a patient's compartment, their own Patient resource with its contact details included, and any
     * search not of one type ({@code $everything}, all-type searches and history) is refused, saying why; reference
     * data (questionnaires, organisations, practitioners) stays readable. Writes are refused through this too, as
     * they check the record they change.
     */
    private AccessDecision unverifiedRead(Requester requester, FhirAction action, String type) {
        // Binaries and stored Bundles are outside the compartment by type but hold patient data (a scanned
        // letter, a document): not the reference data this caller may read, so refused as the record is.
        if (type == null || ResourceClass.inCompartment(type) || "Binary".equals(type) || "Bundle".equals(type)) {
            String level = requester.identityProofingLevel() == null ? "" : " (this sign-in is "
                    + requester.identityProofingLevel() + ")";
            throw forbidden(ErrorCode.IDENTITY_NOT_VERIFIED, "Seeing a health record needs your identity proven to "
                    + "the highest level, P9 in NHS login" + level + ". Prove your identity with NHS login (for "
                    + "example with photo ID), then sign in again");
        }
        Set<String> reference = new HashSet<>();
        for (String t : allTypes()) {
            if (!ResourceClass.inCompartment(t)) {
                reference.add(t);
            }
        }
        AccessScope scope = new AccessScope(reference, Set.of(), Set.of(), Set.of(),
                SecurityLabels.WITHHELD_FROM_PATIENT, Map.of());
        if (scopesApply(requester)) {
            scope = narrow(scope, ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type,
                    requester.patientContext());
        }
        return new AccessDecision(requester, scope, List.of());
    }

    /** Resource types a set of activities lets staff see. */
    static Set<String> visibleTypes(Set<Activity> acts) {
        Set<String> types = new TreeSet<>();
        for (String t : allTypes()) {
            boolean visible = switch (ResourceClass.of(t)) {
                case DEMOGRAPHIC, ADMINISTRATIVE -> acts.contains(Activity.VIEW_DEMOGRAPHICS);
                case CLINICAL -> acts.contains(Activity.VIEW_CLINICAL_RECORD);
                case WORKFLOW, REFERENCE -> acts.contains(Activity.VIEW_DEMOGRAPHICS)
                        || acts.contains(Activity.SYSTEM_ADMINISTRATION);
            };
            if (visible) {
                types.add(t);
            }
        }
        return Set.copyOf(types);
    }

    /** Labels hidden from staff with these activities. */
    static Set<Label> hiddenFor(Set<Activity> acts) {
        Set<Label> hidden = new HashSet<>();
        if (!acts.contains(Activity.VIEW_RESTRICTED)) {
            hidden.addAll(SecurityLabels.RESTRICTED);
            hidden.addAll(SecurityLabels.SENSITIVE_CATEGORIES);
        }
        if (!acts.contains(Activity.VIEW_VERY_RESTRICTED)) {
            hidden.addAll(SecurityLabels.VERY_RESTRICTED);
        }
        return hidden;
    }

    /**
     * Applies the SMART scopes: the interaction's letter must be granted on the type; the types seen are those
     * granted read or search; search restrictions of fine-grained scopes become type filters; access resting
     * only on {@code patient/} scopes is confined to the launch patient.
     */
    private static AccessScope narrow(AccessScope scope, ScopeSet scopes, FhirAction action, String type,
                                      String launchPatient) {
        ScopeSet.Narrowing n = scopes.narrowing(action.scopeLetter(), type);
        if (n.refusal() != null) {
            throw n.refusal();
        }
        if (n.readable() != null) {
            Set<String> types = n.readable();
            if (scope.types() != null) {
                types = new HashSet<>(types);
                types.retainAll(scope.types());
            }
            scope = scope.withTypes(types);
        }
        if (!n.filters().isEmpty()) {
            scope = scope.withTypeFilters(n.filters());
        }
        if (n.confine()) {
            if (launchPatient == null) {
                throw forbidden(ErrorCode.SCOPE_NOT_GRANTED, "patient/ scopes need a launch patient");
            }
            Set<String> patients = scope.patients() == null || scope.patients().contains(launchPatient)
                    ? Set.of(launchPatient) : Set.of();
            scope = scope.withPatients(patients, Set.of(), Set.of());
        }
        return scope;
    }

    // --- writing -------------------------------------------------------------------------------------------

    @Override
    public AccessDecision write(Requester requester, FhirAction action, String type, String id, Resource content) {
        if (requester.kind() != Requester.Kind.ANONYMOUS) {
            SecurityLabels.requireKnown(content);
        }
        return switch (requester.kind()) {
            case ANONYMOUS -> throw unauthenticated();
            case CARER -> throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "Proxy access is to view only");
            case SYSTEM -> {
                ScopeSet scopes = ScopeSet.of(requester.scopes(), SYSTEM_CONTEXTS);
                requireWithinRestriction(requireLetter(scopes, action, type), type, id, content);
                yield new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
            }
            case STAFF -> staffWrite(requester, action, type, id, content);
            case PATIENT -> patientWrite(requester, action, type, id, content);
        };
    }

    private AccessDecision staffWrite(Requester requester, FhirAction action, String type, String id,
                                      Resource content) {
        Set<Activity> acts = RoleActivities.of(requester.roles());
        ResourceClass cls = ResourceClass.of(type);
        Activity needed = switch (cls) {
            case CLINICAL -> Activity.WRITE_CLINICAL_RECORD;
            case DEMOGRAPHIC, ADMINISTRATIVE -> Activity.WRITE_ADMINISTRATION;
            case WORKFLOW -> null;
            case REFERENCE -> ("Schedule".equals(type) || "Slot".equals(type))
                    ? Activity.WRITE_ADMINISTRATION : Activity.SYSTEM_ADMINISTRATION;
        };
        if (needed == null) {
            requireTaskParticipant(requester, acts, id, content);
        } else if (!acts.contains(needed)) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "Your role does not permit changing " + type
                    + " resources");
        }
        AccessDecision view = staffRead(requester, FhirAction.READ, null, false);
        requireExistingVisible(type, id, withServicesTriaged(requester, acts, type, id, view.scope()));
        requireLabelsVisible(type, content, view.scope());
        Set<String> subjects = content == null ? Set.of() : patientsReferenced(content, view.scope());
        if (cls == ResourceClass.CLINICAL) {
            for (String patient : subjects) {
                if (!view.scope().patients().contains(patient)) {
                    throw forbidden(ErrorCode.NO_LEGITIMATE_RELATIONSHIP,
                            "You have no legitimate relationship with a patient this " + type + " is about");
                }
            }
        }
        requireNoSelfMadeRelationship(requester, type, id, content, subjects);
        if (scopesApply(requester)) {
            ScopeSet.Grant grant = requireLetter(ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type);
            requireWithinRestriction(grant, type, id, content);
            if (grant.launchPatientOnly() && !(requester.patientContext() != null
                    && Set.of(requester.patientContext()).containsAll(subjects))) {
                throw forbidden(ErrorCode.SCOPE_NOT_GRANTED, "patient/ scopes permit changes about the launch "
                        + "patient only");
            }
        }
        return view;
    }

    /**
     * Tasks are workflow between people: staff whose role lets them write records or administration may change a
     * Task that names them as its owner or requester, before and after the change (so a referrer can answer the
     * information request addressed to them without a relationship with the patient, and nobody can take over
     * somebody else's Task by rewriting its owner). A Task addressed to a team is answered on the pages that know
     * the team's rules (an escalation's), not changed over FHIR by whoever is in it.
     */
    private void requireTaskParticipant(Requester requester, Set<Activity> acts, String id, Resource content) {
        if (!acts.contains(Activity.WRITE_CLINICAL_RECORD) && !acts.contains(Activity.WRITE_ADMINISTRATION)) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "Your role does not permit changing Task resources");
        }
        String me = requester.fhirUser();
        boolean stillTheirs = content == null || (content instanceof org.hl7.fhir.r4.model.Task task && names(task, me));
        boolean wasTheirs = true;
        if (id != null) {
            try {
                StoredResource existing = repository.read("Task", id);
                wasTheirs = existing.deleted() || names(existing.parse(org.hl7.fhir.r4.model.Task.class), me);
            } catch (FhirException e) {
                wasTheirs = true; // nothing there: the write creates it
            }
        }
        if (me == null || !stillTheirs || !wasTheirs) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "You may only change Tasks you own or requested");
        }
    }

    private static boolean names(org.hl7.fhir.r4.model.Task task, String fhirUser) {
        return fhirUser != null && (fhirUser.equals(task.getOwner().getReference())
                || fhirUser.equals(task.getRequester().getReference()));
    }

    @Override
    public AccessDecision triage(Requester requester, String serviceId) {
        if (requester.kind() == Requester.Kind.ANONYMOUS) {
            throw unauthenticated();
        }
        if (requester.kind() != Requester.Kind.STAFF
                || !RoleActivities.of(requester.roles()).contains(Activity.TRIAGE)) {
            throw forbidden(ErrorCode.TRIAGE_NOT_PERMITTED, "Your role does not permit triaging referrals");
        }
        if (!worksIn(requester.fhirUser(), serviceId)) {
            throw forbidden(ErrorCode.TRIAGE_NOT_PERMITTED, "Only members of the service may triage its referrals");
        }
        // An app's token reaches the triage API only as far as its SMART scopes let it search ServiceRequests,
        // as at /fhir; the triage pages' own session has no scopes.
        boolean app = scopesApply(requester);
        AccessDecision decision = staffRead(requester, FhirAction.SEARCH, app ? "ServiceRequest" : null, app);
        AccessScope scope = decision.scope();
        // The service's referrals, open or closed, whoever the patient and whether or not they give a relationship
        // (an unchecked self-referral naming an existing patient does not): the waiting list, the month's clock
        // figures and the decisions are the triager's work. A scope confined to a launch patient has no reaches
        // left, and gets none here.
        if (!scope.reaches().isEmpty()) {
            Set<AccessScope.Reach> reaches = new HashSet<>(scope.reaches());
            reaches.add(new AccessScope.Reach("ServiceRequest", Set.of("performer"),
                    Set.of("HealthcareService/" + serviceId)));
            scope = scope.withReaches(reaches);
        }
        return new AccessDecision(requester, scope, decision.emergencyGrantIds(), decision.emergencyGrantByPatient());
    }

    /**
     * A referral to a service the person triages is theirs to change as a triager (confirming who sent it, deciding
     * it) whether or not it gives them a relationship (an unchecked self-referral naming an existing patient does
     * not): the scope a change to a stored referral is judged by takes in the referrals to those services, as the
     * triage pages' scope does. Labels still hide what they hide.
     */
    private AccessScope withServicesTriaged(Requester requester, Set<Activity> acts, String type, String id,
                                            AccessScope scope) {
        if (!"ServiceRequest".equals(type) || id == null || !acts.contains(Activity.TRIAGE)
                || !(stored(type, id) instanceof org.hl7.fhir.r4.model.ServiceRequest referral)) {
            return scope;
        }
        Set<String> services = new HashSet<>();
        for (Reference performer : referral.getPerformer()) {
            String service = performer.getReference() == null ? null
                    : idOf(performer.getReference(), "HealthcareService");
            if (service != null && worksIn(requester.fhirUser(), service)) {
                services.add("HealthcareService/" + service);
            }
        }
        if (services.isEmpty()) {
            return scope;
        }
        Set<AccessScope.Reach> reaches = new HashSet<>(scope.reaches());
        reaches.add(new AccessScope.Reach("ServiceRequest", Set.of("performer"), services));
        return scope.withReaches(reaches);
    }

    /**
     * Whether an active PractitionerRole of the person (or the person, when signed in as a role) serves it, and is in
     * force now as relationships count it: a role whose period has ended, or a practitioner no longer active, no
     * longer triages the service's referrals, whatever its {@code active} flag still says.
     */
    private boolean worksIn(String fhirUser, String serviceId) {
        return activeRoleServes(fhirUser, serviceId)
                && relationships.workOf(fhirUser).holders().contains("HealthcareService/" + serviceId);
    }

    private boolean activeRoleServes(String fhirUser, String serviceId) {
        Map<String, List<String>> parameters = new HashMap<>();
        if (idOf(fhirUser, "Practitioner") != null) {
            parameters.put("practitioner", List.of(fhirUser));
        } else if (idOf(fhirUser, "PractitionerRole") != null) {
            parameters.put("_id", List.of(idOf(fhirUser, "PractitionerRole")));
        } else {
            return false;
        }
        parameters.put("service", List.of("HealthcareService/" + serviceId));
        parameters.put("active", List.of("true"));
        return !repository.search(new SearchRequest("PractitionerRole", parameters, false)).matches().isEmpty();
    }

    private AccessDecision patientWrite(Requester requester, FhirAction action, String type, String id,
                                        Resource content) {
        if (!PATIENT_WRITABLE.contains(type) || !(action == FhirAction.CREATE || action == FhirAction.UPDATE)) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "Patients may only send " + PATIENT_WRITABLE);
        }
        AccessDecision view = patientRead(requester, FhirAction.READ, null, false);
        if (scopesApply(requester)) {
            requireWithinRestriction(requireLetter(ScopeSet.of(requester.scopes(), STAFF_CONTEXTS), action, type),
                    type, id, content);
        }
        requireExistingVisible(type, id, view.scope());
        requireLabelsVisible(type, content, view.scope());
        requireProtectiveLabelsKept(type, id, content);
        String self = idOf(requester.fhirUser(), "Patient");
        if (content != null && !patientsReferenced(content, view.scope()).equals(Set.of(self))) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "A " + type + " you send must be about you alone");
        }
        if (content != null) {
            requireNamesNoOtherActor(self, content);
        }
        return view;
    }

    /**
     * A patient sees the restricted, very restricted and sealed labels their care team put on their own answers (they
     * are hidden from others, not from the patient), so nothing stops their app sending the answers back without them;
     * but the labels protect the answers from staff whose roles may not see them and from the patient's carers, and
     * taking them off is the care team's decision. So an update by the patient must keep each such label the stored
     * version carries (adding one is their own choice and is allowed).
     */
    private void requireProtectiveLabelsKept(String type, String id, Resource content) {
        Resource before = content == null ? null : stored(type, id);
        if (before == null) {
            return;
        }
        Set<Label> sent = new HashSet<>();
        for (Coding label : content.getMeta().getSecurity()) {
            sent.add(new Label(label.getSystem(), label.getCode()));
        }
        for (Coding label : before.getMeta().getSecurity()) {
            Label l = new Label(label.getSystem(), label.getCode());
            boolean protective = SecurityLabels.RESTRICTED.contains(l) || SecurityLabels.VERY_RESTRICTED.contains(l)
                    || SecurityLabels.SENSITIVE_CATEGORIES.contains(l);
            if (protective && !sent.contains(l)) {
                throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "Your care team labelled this " + type + " '"
                        + label.getCode() + "' (meta.security) to protect it; send it back with that label, which only"
                        + " they may take off");
            }
        }
    }

    /**
     * The types that name who did or said something (an author, a source, a performer, a recorder): in what a
     * patient sends, only the patient, or a RelatedPerson of theirs who helped them, may be named so; naming a
     * clinician, a team or an organisation would put the patient's words in their mouth in the record. (Other
     * patients are refused already: what a patient sends is about them alone.)
     */
    private static final Set<String> ACTOR_TYPES = Set.of("Practitioner", "PractitionerRole", "Organization",
            "CareTeam", "HealthcareService", "Device", "RelatedPerson", "Group");

    /** QuestionnaireResponse elements that say who answered: absent, or the patient or their RelatedPerson. */
    private static final List<String> ANSWERED_BY = List.of("author", "source");

    private void requireNamesNoOtherActor(String self, Resource content) {
        String refusal = "A " + content.fhirType() + " you send may name only you, or someone you have recorded as"
                + " helping you, as the person who wrote it or took part";
        if (content instanceof DomainResource domain) {
            for (Resource contained : domain.getContained()) {
                if (ACTOR_TYPES.contains(contained.fhirType())) {
                    throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, refusal);
                }
            }
        }
        for (Reference ref : FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(content,
                Reference.class)) {
            String target = targetType(ref);
            if (target != null && ACTOR_TYPES.contains(target) && !isSelfOrTheirs(self, target, ref)) {
                throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, refusal);
            }
        }
        if (content instanceof org.hl7.fhir.r4.model.QuestionnaireResponse answers) {
            // Who answered is a claim even without a resolvable reference ("display": "Dr Smith").
            for (String element : ANSWERED_BY) {
                Reference ref = "author".equals(element) ? answers.getAuthor() : answers.getSource();
                if (!ref.isEmpty() && (ref.getReference() == null || !isSelfOrTheirs(self, targetType(ref), ref))) {
                    throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, refusal);
                }
            }
        }
    }

    /** The type a reference points at, from its address or its type; null when it says neither. */
    private static String targetType(Reference ref) {
        String r = ref.getReference();
        if (r == null || r.startsWith("#")) {
            return ref.hasType() ? ref.getType() : null;
        }
        int query = r.indexOf('?');
        if (query > 0) {
            String type = r.substring(0, query);
            return type.substring(type.lastIndexOf('/') + 1);
        }
        String type = new org.hl7.fhir.r4.model.IdType(r).getResourceType();
        return type != null ? type : ref.hasType() ? ref.getType() : null;
    }

    private boolean isSelfOrTheirs(String self, String target, Reference ref) {
        String r = ref.getReference();
        if (r == null || r.startsWith("#") || r.indexOf('?') >= 0 || r.contains("://")) {
            return false;
        }
        String id = new org.hl7.fhir.r4.model.IdType(r).getIdPart();
        if ("Patient".equals(target)) {
            return self != null && self.equals(id);
        }
        if (!"RelatedPerson".equals(target) || id == null) {
            return false;
        }
        try {
            StoredResource person = repository.read("RelatedPerson", id);
            return !person.deleted() && ("Patient/" + self).equals(
                    person.parse(org.hl7.fhir.r4.model.RelatedPerson.class).getPatient().getReference());
        } catch (FhirException e) {
            return false;
        }
    }

    private void requireExistingVisible(String type, String id, AccessScope scope) {
        if (id == null || scope.unrestricted()) {
            return;
        }
        StoredResource existing;
        try {
            existing = repository.read(type, id);
        } catch (FhirException e) {
            return; // nothing there (or deleted): the write creates it
        }
        if (!repository.visible(existing.pk(), scope)) {
            throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "You may not change " + type + "/" + id);
        }
    }

    /**
     * Whether a resource exists at the id that the writer may not see, judged by what they may read (as their writes
     * are): the FHIR API then answers a change to it as to an id it does not know.
     */
    @Override
    public boolean hidesExisting(Requester requester, String type, String id) {
        if (id == null || !(requester.kind() == Requester.Kind.STAFF || requester.kind() == Requester.Kind.PATIENT)) {
            return false; // systems see all; carers and nobody are refused any write
        }
        AccessScope scope;
        try {
            // Of the type asked about: a role that may not read the type at all is refused the write for its role,
            // which says nothing of any record.
            scope = requester.kind() == Requester.Kind.STAFF
                    ? staffRead(requester, FhirAction.READ, type, false).scope()
                    : patientRead(requester, FhirAction.READ, type, false).scope();
        } catch (FhirException refusedAnyway) {
            return false;
        }
        if (scope.unrestricted()) {
            return false;
        }
        try {
            return !repository.visible(repository.read(type, id).pk(), scope);
        } catch (FhirException nothingThere) {
            return false;
        }
    }

    /**
     * A write may not set a security label that would hide what is written from the writer: someone who may not
     * see restricted, very restricted, sealed or withheld entries may not make one either (nor seal away a
     * colleague's entry by relabelling it). Taking such a label off needs no test of its own: a record carrying
     * a label hidden from the writer is not one they may change at all ({@link #requireExistingVisible}).
     */
    private static void requireLabelsVisible(String type, Resource content, AccessScope scope) {
        if (content == null || scope.hiddenLabels().isEmpty()) {
            return;
        }
        for (Coding label : content.getMeta().getSecurity()) {
            if (label.getCode() != null && scope.hiddenLabels().contains(new Label(label.getSystem(), label.getCode()))) {
                throw forbidden(ErrorCode.WRITE_NOT_PERMITTED, "You may not set the security label '" + label.getCode()
                        + "' on a " + type + ": records carrying it are hidden from you");
            }
        }
    }

    /**
     * A conditional write or reference matches what the caller's own search would find, and nothing else: a record
     * hidden by label, relationship, consent or scope counts as no match, so the answer (created, nothing deleted,
     * no match) is the same whether or not one exists. The price is the duplicate a conditional create makes beside
     * a record the caller cannot see; the trust's data-quality checks find those, and the alternative, refusing
     * because of a hidden match, tells the caller the record exists. A backend system matches across the store,
     * as it always has (its writes are trusted with it), but only when granted search on the type.
     */
    @Override
    public AccessScope matchable(Requester requester, String type) {
        if (requester.kind() == Requester.Kind.SYSTEM) {
            // Criteria are a search, and the answer to a conditional write says whether anything met them (created
            // or updated, deleted or not, no match): a system not granted search on the type may not ask.
            systemRead(requester, FhirAction.SEARCH, type);
            return AccessScope.UNRESTRICTED;
        }
        return read(requester, FhirAction.SEARCH, type).scope();
    }

    @Override
    public AccessScope conditional(Requester requester, FhirAction action, String type, String query) {
        AccessScope visible = matchable(requester, type);
        requireMatchesWithinRestriction(requester, action, type, query, visible);
        return visible;
    }

    @Override
    public AccessDecision bulkImport(Requester requester) {
        if (requester.kind() == Requester.Kind.ANONYMOUS) {
            throw unauthenticated();
        }
        ScopeSet scopes = ScopeSet.of(requester.scopes(), SYSTEM_CONTEXTS);
        if (requester.kind() != Requester.Kind.SYSTEM || scopes.typesGranted('c') != null
                || scopes.typesGranted('u') != null) {
            throw forbidden(ErrorCode.ACCESS_DENIED, "$import is for systems granted system/*.cu");
        }
        return new AccessDecision(requester, AccessScope.UNRESTRICTED, List.of());
    }

    @Override
    public void requireImportable(Resource content) {
        SecurityLabels.requireKnown(content);
    }

    /**
     * Who accessed a record says which services a patient has been in touch with, which can be as telling as
     * the record itself (a sexual health clinic, a drug and alcohol service). So a carer sees it only when the
     * patient chose to share it, by listing {@code AuditEvent} in the Consent; a consent to "the whole record"
     * (no classes listed) does not include it.
     */
    @Override
    public java.util.Set<String> accessHistoryPatients(Requester requester) {
        String fhirUser = requester.fhirUser();
        if (fhirUser == null || !requester.identityVerifiedForRecordAccess()) {
            return java.util.Set.of();
        }
        if (requester.kind() == Requester.Kind.PATIENT && fhirUser.startsWith("Patient/")) {
            return java.util.Set.of(fhirUser.substring("Patient/".length()));
        }
        if (requester.kind() == Requester.Kind.CARER && fhirUser.startsWith("RelatedPerson/")) {
            java.util.Set<String> patients = new java.util.TreeSet<>();
            consents.permittedFor(fhirUser.substring("RelatedPerson/".length())).forEach((patient, types) -> {
                if (types.contains("AuditEvent")) {
                    patients.add(patient);
                }
            });
            return patients;
        }
        return java.util.Set.of();
    }

    @Override
    public boolean proxyAccessEnded(Requester requester) {
        String carer = requester.kind() == Requester.Kind.CARER ? idOf(requester.fhirUser(), "RelatedPerson") : null;
        return carer != null && consents.permittedFor(carer).isEmpty();
    }

    // --- shared --------------------------------------------------------------------------------------------

    /**
     * A booking, referral, episode or care team that would give the member of staff themselves (or their team or
     * service) a relationship with a patient they have none with is refused: a relationship is what opens a record,
     * so nobody may make their own. Booking clerks and others who cannot read clinical records gain from the
     * relationships they make only the patient's administrative records (booking a patient new to the service into
     * it is their work, and is on the record as theirs); a clinician without one asks the patient's team or the booking office, or uses
     * emergency access, which is recorded for review. Emergency access itself does not count as a relationship here,
     * so it cannot be turned into a lasting one.
     */
    private void requireNoSelfMadeRelationship(Requester requester, String type, String id, Resource content,
                                               Set<String> subjects) {
        if (content == null || !CareRelationships.RELEVANT_TYPES.contains(type)
                || !RoleActivities.of(requester.roles()).contains(Activity.VIEW_CLINICAL_RECORD)) {
            return;
        }
        Resource before = stored(type, id);
        if (content instanceof org.hl7.fhir.r4.model.CareTeam team) {
            requireNotJoiningThemselves(requester, team, (org.hl7.fhir.r4.model.CareTeam) before);
        }
        if (subjects.isEmpty() || !relationships.wouldRelate(requester.fhirUser(), content)
                || triagingOwnReferral(requester, content, before)) {
            return;
        }
        // Judged on the relationships as they stand now, not as this node last remembered them: the change that
        // made one (a referral confirmed a moment ago) may not have been relayed here yet. A finished episode or a
        // closed referral made active again counts as new: it is not a relationship until then.
        if (!relationships.patientsOfNow(requester.fhirUser()).containsAll(subjects)) {
            throw forbidden(ErrorCode.NO_LEGITIMATE_RELATIONSHIP, "This " + type + " would give you access to the "
                    + "record of a patient you have no legitimate relationship with. Ask the patient's care team or "
                    + "the booking office to arrange it, or request emergency access if you must open the record now");
        }
    }

    /**
     * Nobody adds themselves (their Practitioner or one of their PractitionerRoles) to an existing care team: a team
     * opens the record of every patient on its caseload, so joining one is for its lead or an administrator to do.
     */
    private void requireNotJoiningThemselves(Requester requester, org.hl7.fhir.r4.model.CareTeam team,
                                             org.hl7.fhir.r4.model.CareTeam before) {
        if (before == null) {
            return; // a new team holds no caseload until episodes name it, which is judged when they do
        }
        Set<String> mine = relationships.actorsOf(requester.fhirUser());
        Set<String> already = members(before);
        for (String member : members(team)) {
            if (mine.contains(member) && !already.contains(member)) {
                throw forbidden(ErrorCode.NO_LEGITIMATE_RELATIONSHIP, "You may not add yourself to a care team: it "
                        + "would open the records of the patients it cares for. Ask the team's lead or an administrator");
            }
        }
    }

    private static Set<String> members(org.hl7.fhir.r4.model.CareTeam team) {
        return CareRelationships.typesAndIds(team.getParticipant().stream()
                .map(org.hl7.fhir.r4.model.CareTeam.CareTeamParticipantComponent::getMember).toList());
    }

    /**
     * A triager of a service deciding an open referral to it, about the same patient as before: the triage rules
     * (docs/referral-triage.md) govern that, not the relationship it keeps. Re-pointing it at another patient, or
     * reopening a closed one, is not triage and is judged as any other write.
     */
    private boolean triagingOwnReferral(Requester requester, Resource content, Resource before) {
        if (!(content instanceof org.hl7.fhir.r4.model.ServiceRequest after)
                || !(before instanceof org.hl7.fhir.r4.model.ServiceRequest was)
                || !RoleActivities.of(requester.roles()).contains(Activity.TRIAGE)) {
            return false;
        }
        boolean open = was.getStatus() == org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE
                || was.getStatus() == org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ONHOLD;
        if (!open || !java.util.Objects.equals(was.getSubject().getReference(), after.getSubject().getReference())) {
            return false;
        }
        for (Reference performer : was.getPerformer()) {
            String service = performer.getReference() == null ? null
                    : idOf(performer.getReference(), "HealthcareService");
            if (service != null && worksIn(requester.fhirUser(), service)) {
                return true;
            }
        }
        return false;
    }

    /** The current stored version of a resource, or null when there is none (or it was deleted). */
    private Resource stored(String type, String id) {
        if (id == null) {
            return null;
        }
        try {
            StoredResource existing = repository.read(type, id);
            return existing.deleted() ? null
                    : (Resource) FhirContexts.r4().newJsonParser().parseResource(existing.json());
        } catch (FhirException e) {
            return null;
        }
    }

    /**
     * A conditional update, patch or delete changes what its criteria match, which the request does not name: under
     * a scope limited by a search, each resource matched (of those the caller sees) must be within the limit, as it
     * must for a change by id.
     */
    private void requireMatchesWithinRestriction(Requester requester, FhirAction action, String type, String query,
                                                 AccessScope visible) {
        if (query == null || query.isBlank() || action == FhirAction.CREATE || !scopesApply(requester)) {
            return;
        }
        ScopeSet scopes = ScopeSet.of(requester.scopes(),
                requester.kind() == Requester.Kind.SYSTEM ? SYSTEM_CONTEXTS : STAFF_CONTEXTS);
        ScopeSet.Grant grant = scopes.grant(action.scopeLetter(), type);
        if (!grant.granted() || grant.filters().isEmpty()) {
            return;
        }
        Map<String, List<String>> params = QueryStrings.parse(query);
        params.put("_count", List.of("100"));
        // Only what the caller sees is judged: a hidden match is no match, and refusing for one would reveal it.
        for (var match : repository.search(new SearchRequest(type, params, false), visible).matches()) {
            Resource resource = stored(type, match.id());
            if (resource != null) {
                requireMeets(grant, type, resource);
            }
        }
    }

    /**
     * A scope restricted by a search ({@code user/Observation.cu?category=vital-signs}) permits writes only of
     * resources the restriction selects, before and after the change: the resource written, and the one an update
     * or delete replaces. A restriction that cannot be judged on a resource not yet stored is refused, not guessed.
     */
    private void requireWithinRestriction(ScopeSet.Grant grant, String type, String id, Resource content) {
        if (grant.filters().isEmpty()) {
            return;
        }
        if (content != null) {
            requireMeets(grant, type, content);
        }
        Resource before = stored(type, id);
        if (before != null) {
            requireMeets(grant, type, before);
        }
    }

    private void requireMeets(ScopeSet.Grant grant, String type, Resource resource) {
        boolean judged = false;
        for (String filter : grant.filters()) {
            java.util.Optional<Boolean> meets = restrictions.matches(resource, filter);
            if (meets.orElse(false)) {
                return;
            }
            judged |= meets.isPresent();
        }
        throw forbidden(ErrorCode.SCOPE_NOT_GRANTED, judged
                ? "The client's scopes on " + type + " are limited to " + String.join(" or ", grant.filters())
                        + ", and this " + type + " is outside them"
                : "The client's scopes on " + type + " are limited by a search (" + String.join(" or ",
                        grant.filters()) + ") that cannot be checked on a change; a change needs a scope without it");
    }

    private static ScopeSet.Grant requireLetter(ScopeSet scopes, FhirAction action, String type) {
        ScopeSet.Grant grant = scopes.grant(action.scopeLetter(), type);
        if (!grant.granted()) {
            throw scopes.refusal(action.scopeLetter(), type);
        }
        return grant;
    }

    /**
     * The patients a resource refers to (any {@code Patient/x} reference, and a Patient itself), over-reaching
     * the compartment definition on purpose: a write about someone must be within reach of all of them. A
     * conditional reference ({@code Patient?identifier=...}) names the patients it matches among those the writer
     * may see, as the bundle resolves it: one hidden from them is no match, not a refusal that would reveal it.
     */
    private Set<String> patientsReferenced(Resource content, AccessScope visible) {
        Set<String> patients = new HashSet<>();
        if ("Patient".equals(content.fhirType()) && content.getIdElement().getIdPart() != null) {
            patients.add(content.getIdElement().getIdPart());
        }
        for (Reference ref : FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(content,
                Reference.class)) {
            String r = ref.getReference();
            if (r == null) {
                continue;
            }
            int at = r.indexOf("Patient/");
            if (at >= 0 && (at == 0 || r.charAt(at - 1) == '/')) {
                String rest = r.substring(at + "Patient/".length());
                int slash = rest.indexOf('/');
                patients.add(slash < 0 ? rest : rest.substring(0, slash));
            } else if (r.startsWith("Patient?")) {
                var page = repository.search(new SearchRequest("Patient",
                        QueryStrings.parse(r.substring("Patient?".length())), false), visible);
                page.matches().forEach(m -> patients.add(m.id()));
            }
        }
        return patients;
    }

    /** Scopes narrow only requests that came through an OAuth client; a first-party page session has none. */
    private static boolean scopesApply(Requester requester) {
        return requester.clientId() != null || !requester.scopes().isEmpty();
    }

    private static String idOf(String fhirUser, String type) {
        return fhirUser != null && fhirUser.startsWith(type + "/") ? fhirUser.substring(type.length() + 1) : null;
    }

    private static Set<String> allTypes() {
        return AllTypes.TYPES;
    }

    private static Set<String> allTypesBut(Set<String> left) {
        Set<String> types = new HashSet<>(AllTypes.TYPES);
        types.removeAll(left);
        return Set.copyOf(types);
    }

    static FhirException unauthenticated() {
        return FhirException.of(401, ErrorCode.AUTHENTICATION_REQUIRED, IssueType.LOGIN,
                "Sign in, or send an access token, first");
    }

    static FhirException forbidden(ErrorCode code, String message) {
        return FhirException.of(403, code, IssueType.FORBIDDEN, message);
    }
}
