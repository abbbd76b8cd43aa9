package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.BreakGlassGrant;
import org.charnwood.app.security.BreakGlassGranted;
import org.charnwood.app.security.Requester;
import org.charnwood.app.security.policy.AccessSettings;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The demo's one emergency access: the demo clinician opens a demo patient's record by breaking the glass, as the
 * staff page would, so that the demo information governance officer has a grant to review and the patient sees it
 * in "who has viewed my record". It is a real grant, stored and audited as any other; made once, with the demo
 * accounts, and never outside the demo.
 */
@Component
public class DemoEmergencyAccess {

    static final String REASON = "Seen in the urgent treatment centre out of hours with chest pain; no care "
            + "relationship recorded and the community team could not be reached";

    private final BreakGlassGrants grants;
    private final ApplicationEventPublisher events;
    private final AccessSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    DemoEmergencyAccess(BreakGlassGrants grants, ApplicationEventPublisher events, AccessSettings settings,
                        TransactionTemplate tx, Clock clock) {
        this.grants = grants;
        this.events = events;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** Grants the clinician emergency access to the patient's record; answers the grant's id. */
    public String open(String clinicianAccount, String clinicianFhirUser, String organisation, String patientId) {
        Instant now = clock.instant();
        Requester clinician = new Requester(Requester.Kind.STAFF, clinicianAccount, clinicianFhirUser,
                Set.of(AccessRole.CLINICIAN), organisation, null, List.of(), null, null, null, now);
        BreakGlassGrant grant = new BreakGlassGrant(UUID.randomUUID().toString(), clinicianAccount, clinicianFhirUser,
                patientId, REASON, now, now.plus(settings.breakGlassDuration()), null, null, null, null);
        tx.executeWithoutResult(status -> {
            grants.insert(grant);
            events.publishEvent(new BreakGlassGranted(grant.id(), clinician, patientId, REASON, grant.expiresAt(), now));
        });
        return grant.id();
    }
}
