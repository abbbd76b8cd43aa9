package org.charnwood.app.security.accounts;

import org.charnwood.app.security.ProvisionalRecords;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.FederatedIdentityLinked;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.SignInRecorded;
import org.charnwood.app.security.web.SecuritySettings;
import org.charnwood.app.security.web.FederatedSignInHandler;
import org.charnwood.fhir.FhirRepository;
import org.hl7.fhir.r4.model.Patient;
import org.charnwood.fhir.search.SearchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signs in a person an external OpenID Connect provider has identified. Staff providers (CIS2-style) send their
 * national RBAC roles ({@code nhsid_nrbac_roles}: entries whose {@code role_code} ends in an {@code Rnnnn} code,
 * optionally only those for our organisation); they map to {@link AccessRole}s by that code, and the person is
 * linked to the Practitioner with their SDS user id; a staff sign-in below the accepted assurance is refused.
 * Patient providers (NHS login style) send {@code nhs_number}, which links the person to the one active, confirmed
 * Patient holding that number verified, and the level of identity proofing ({@link IdentityAssurance}), which is carried on the
 * {@link Requester} so that only P9 identities see their record. The link is made at any level, as
 * the level is judged at every request, not here: a P5 person keeps the features that need no record, and the same
 * account sees the record once they sign in again at P9. The first sign-in creates a local account linked to the
 * provider's subject, or, for staff, links the subject to the local account they already have (found by the SDS
 * user id on its Practitioner record, audited); later ones reuse it.
 */
public class FederatedSignIn implements FederatedSignInHandler {

    private static final Logger log = LoggerFactory.getLogger(FederatedSignIn.class);
    private static final Pattern RBAC_CODE = Pattern.compile("(R\\d{4})$");
    static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    static final String SDS_USER_SYSTEM = "https://fhir.nhs.uk/Id/sds-user-id";

    private final SecuritySettings settings;
    private final AccountStore accounts;
    private final SignInService signIn;
    private final SignedInSessions sessions;
    private final FhirRepository repository;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final TransactionTemplate tx;
    private FederatedSessions federatedSessions;

    /** Where sessions begun here are indexed for back-channel logout. */
    void indexSessionsIn(FederatedSessions index) {
        this.federatedSessions = index;
    }

    public FederatedSignIn(SecuritySettings settings, AccountStore accounts, SignInService signIn,
                           SignedInSessions sessions, FhirRepository repository, ApplicationEventPublisher events,
                           Clock clock, TransactionTemplate tx) {
        this.settings = settings;
        this.accounts = accounts;
        this.signIn = signIn;
        this.sessions = sessions;
        this.repository = repository;
        this.events = events;
        this.clock = clock;
        this.tx = tx;
    }

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        OAuth2AuthenticationToken token = (OAuth2AuthenticationToken) authentication;
        SecuritySettings.Federation provider = settings.federation().stream()
                .filter(f -> f.registrationId().equals(token.getAuthorizedClientRegistrationId())).findFirst()
                .orElseThrow();
        OidcUser user = (OidcUser) token.getPrincipal();
        boolean staff = "staff".equals(provider.people());
        boolean assured = !staff || IdentityAssurance.staffAssured(user.getClaims(), provider.acceptedAssurance());
        SignedInPerson person = !assured ? null : staff ? staff(provider, user) : patient(provider, user);
        if (person == null) {
            SecurityContextHolder.clearContext();
            request.getSession().invalidate();
            events.publishEvent(new SignInRecorded(Requester.anonymous(request.getRemoteAddr()),
                    provider.registrationId() + ":" + user.getSubject(), false, assured
                    ? "no access through " + provider.registrationId()
                    : "sign-in assurance below " + String.join(" or ", provider.acceptedAssurance()), clock.instant()));
            response.sendRedirect("/signin?federated="
                    + java.net.URLEncoder.encode(provider.registrationId(), java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        signIn.recordFederated(person, request.getRemoteAddr());
        sessions.establish(person, request, response);
        if (federatedSessions != null) {
            federatedSessions.register(provider.registrationId(), user.getSubject(),
                    user.getIdToken().getClaimAsString("sid"), person, request.getSession(false));
        }
    }

    private SignedInPerson staff(SecuritySettings.Federation provider, OidcUser user) {
        Set<AccessRole> roles = roles(user.getClaims().get(provider.roleClaim() == null ? "nhsid_nrbac_roles"
                : provider.roleClaim()), provider.organisation(), user.getClaimAsString("selected_roleid"));
        if (roles.isEmpty()) {
            return null;
        }
        String uid = user.getClaimAsString("uid");
        String practitioner = uid == null ? null : find("Practitioner", SDS_USER_SYSTEM + "|" + uid);
        Account account = accounts.byFederatedIdentity(provider.issuer(), user.getSubject());
        Account local = account != null || practitioner == null ? null
                : localStaffAccount(provider, "Practitioner/" + practitioner);
        if (local != null && !local.enabled()) {
            // A leaver's account stays theirs: signing in through the provider neither links it nor makes another.
            return null;
        }
        if (local != null) {
            // The link and the trail's record of which local account this provider's sign-in now is, and why, commit
            // together.
            tx.executeWithoutResult(status -> {
                accounts.linkFederatedIdentity(provider.issuer(), user.getSubject(), local.id());
                events.publishEvent(new FederatedIdentityLinked(local.signedIn(clock.instant(), null)
                        .asRequester(null), local.username(), provider.registrationId(), user.getSubject()));
            });
            log.info("Linked a new {} identity to the existing account {} of its practitioner",
                    provider.registrationId(), local.id());
            account = local;
        }
        if (account == null) {
            account = linkedAccount(provider, user, () -> new Account("fed-" + UUID.randomUUID(),
                    provider.registrationId() + ":" + user.getSubject(), Requester.Kind.STAFF, displayName(user), null,
                    practitioner == null ? null : "Practitioner/" + practitioner, null, null, roles,
                    provider.organisation(), null, false, 0, null, true));
        }
        if (account == null || !account.enabled()) {
            return null;
        }
        // Someone who first signed in before their Practitioner record carried their SDS user id is linked to it once
        // it does, and to the record that carries it now should it have been moved. A link is never dropped here:
        // one an administrator made stands while no record carries the id.
        if (practitioner != null && !("Practitioner/" + practitioner).equals(account.fhirUser())) {
            accounts.linkPractitioner(account.id(), "Practitioner/" + practitioner);
            account = accounts.byId(account.id());
        }
        // Roles come from the provider at every sign-in: a role removed nationally is removed here at once. They
        // are kept on the account too, as what the person holds now: a refresh of an app's grant takes them there.
        if (!account.roles().equals(roles)) {
            accounts.updateRoles(account.id(), roles);
        }
        return new SignedInPerson(account.id(), account.username(), Requester.Kind.STAFF, account.fhirUser(), roles,
                provider.organisation() != null ? provider.organisation() : account.organisation(), null, null,
                clock.instant());
    }

    private SignedInPerson patient(SecuritySettings.Federation provider, OidcUser user) {
        String level = IdentityAssurance.patientLevel(user.getClaims());
        // NHS login gives the NHS number only to identities matched to PDS (P5 and above); it links the person to a
        // record only where the trust holds that number verified, and never from a P0 sign-in.
        String nhsNumber = "P0".equals(level) ? null : user.getClaimAsString("nhs_number");
        RecordMatch match = nhsNumber == null ? RecordMatch.UNKNOWN : verifiedPatient(nhsNumber);
        Account account = linkedAccount(provider, user, () -> {
            Account existing = match.patientId() == null ? null : accounts.byNhsNumber(nhsNumber);
            if (existing != null) {
                return existing;
            }
            return new Account("fed-" + UUID.randomUUID(), provider.registrationId() + ":" + user.getSubject(),
                    Requester.Kind.PATIENT, displayName(user), null,
                    match.patientId() == null ? null : "Patient/" + match.patientId(), match.patientId(), nhsNumber,
                    Set.of(), null, null, false, 0, null, true);
        });
        if (account == null || !account.enabled()) {
            return null;
        }
        // The link follows the trust's records at every sign-in, not only the first: a number verified since, or
        // duplicates merged, links the record now; a number corrected away from the record, or the record made
        // inactive or provisional, ends the link, so the person no longer sees a record that is not theirs. A carer's
        // account links the record they care for, which their own NHS number does not name: it is left alone.
        boolean moved = !java.util.Objects.equals(match.patientId(), account.patientId())
                || !java.util.Objects.equals(nhsNumber, account.nhsNumber());
        if (match.known() && account.kind() == Requester.Kind.PATIENT && moved) {
            accounts.linkRecord(account.id(), match.patientId(), nhsNumber);
            account = accounts.byId(account.id());
            log.info("Account {} {} a record by its NHS number", account.id(),
                    match.patientId() == null ? "no longer linked to" : "linked to");
        }
        Instant now = clock.instant();
        return account.signedIn(now, level);
    }

    /**
     * The local staff account of the Practitioner the provider's SDS user id names, which a first sign-in through the
     * provider links to rather than making the person a second account: the same person, history and second factor
     * settings. Only when exactly one staff account is for that Practitioner and it has no identity at this provider
     * yet (a second subject claiming it is not the same sign-in); the match is by the national id on the record,
     * never by name or e-mail. A disabled account is still returned, so that its owner is refused, not given a new
     * one.
     */
    private Account localStaffAccount(SecuritySettings.Federation provider, String practitioner) {
        List<Account> candidates = accounts.staffByFhirUser(practitioner);
        if (candidates.size() != 1) {
            if (candidates.size() > 1) {
                log.warn("A {} sign-in names a practitioner with {} staff accounts; none is linked",
                        provider.registrationId(), candidates.size());
            }
            return null;
        }
        Account local = candidates.getFirst();
        return accounts.hasFederatedIdentity(local.id(), provider.issuer()) ? null : local;
    }

    private Account linkedAccount(SecuritySettings.Federation provider, OidcUser user,
                                  java.util.function.Supplier<Account> firstTime) {
        String issuer = provider.issuer();
        Account account = accounts.byFederatedIdentity(issuer, user.getSubject());
        if (account == null) {
            account = firstTime.get();
            if (accounts.byId(account.id()) == null) {
                accounts.save(account);
            }
            accounts.linkFederatedIdentity(issuer, user.getSubject(), account.id());
            log.info("Linked a new {} identity to account {}", provider.registrationId(), account.id());
        }
        return account;
    }

    /**
     * Roles from CIS2-style claims: a list of objects with {@code role_code} (and {@code org_code},
     * {@code person_roleid}), or strings. When the person chose a role at sign-in ({@code selected_roleid}), only that
     * role counts; when the trust's organisation is set, only roles held there (an entry naming no organisation
     * does not count).
     */
    static Set<AccessRole> roles(Object claim, String organisation, String selectedRoleId) {
        Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
        if (!(claim instanceof List<?> entries)) {
            return roles;
        }
        for (Object entry : entries) {
            String code;
            if (entry instanceof Map<?, ?> map) {
                Object org = map.get("org_code");
                if (organisation != null && (org == null || !organisation.equalsIgnoreCase(org.toString()))) {
                    continue;
                }
                if (selectedRoleId != null && !selectedRoleId.equals(String.valueOf(map.get("person_roleid")))) {
                    continue;
                }
                code = String.valueOf(map.get("role_code"));
            } else {
                code = String.valueOf(entry);
            }
            Matcher m = RBAC_CODE.matcher(code.trim());
            if (m.find()) {
                for (AccessRole role : AccessRole.values()) {
                    if (role.rbacCode().equals(m.group(1))) {
                        roles.add(role);
                    }
                }
            }
        }
        return roles;
    }

    /**
     * The record an NHS number links to now: {@code patientId} is null when there is none; {@code known} is false when
     * it could not be looked up, so that an existing link is left as it was rather than ended by a passing fault.
     */
    private record RecordMatch(String patientId, boolean known) {
        static final RecordMatch UNKNOWN = new RecordMatch(null, false);
    }

    /**
     * The one Patient to link to the NHS number: among every record holding it, the single one that is active,
     * holds it verified (status 01) and is not a provisional record made from details someone typed (tagged
     * unverified, as a self-referral's is). None when there is no such record or more than one.
     */
    private RecordMatch verifiedPatient(String nhsNumber) {
        try {
            List<String> ids = repository.search(new SearchRequest("Patient", Map.of("identifier",
                            List.of(NHS_NUMBER_SYSTEM + "|" + nhsNumber), "_count", List.of("100")), false))
                    .matches().stream().filter(s -> !s.deleted())
                    .filter(s -> linkable(s.parse(Patient.class), nhsNumber)).map(s -> s.id()).distinct().toList();
            return new RecordMatch(ids.size() == 1 ? ids.get(0) : null, true);
        } catch (RuntimeException e) {
            log.warn("Could not look up the Patient for a federated sign-in: {}", e.getClass().getSimpleName());
            return RecordMatch.UNKNOWN;
        }
    }

    private static boolean linkable(Patient patient, String nhsNumber) {
        return ProvisionalRecords.confirmedAndActive(patient) && IdentityAssurance.verifiedNhsNumber(patient, nhsNumber);
    }

    private String find(String type, String identifier) {
        try {
            var page = repository.search(new SearchRequest(type, Map.of("identifier", List.of(identifier)), false));
            return page.matches().stream().filter(s -> !s.deleted()).map(s -> s.id()).findFirst().orElse(null);
        } catch (RuntimeException e) {
            log.warn("Could not look up the {} for a federated sign-in: {}", type, e.getClass().getSimpleName());
            return null;
        }
    }

    private static String displayName(OidcUser user) {
        String name = user.getFullName();
        if (name == null && user.getGivenName() != null) {
            name = user.getGivenName() + " " + (user.getFamilyName() == null ? "" : user.getFamilyName());
        }
        return name == null ? "Signed in with an external provider" : name.trim();
    }
}
