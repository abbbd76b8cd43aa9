package org.charnwood.app.security.breakglass;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * The demo's one emergency access: the demo clinician opens a demo patient's record by breaking the glass, as the
 * staff page would, so that the demo information governance officer has a grant to review and the patient sees it
 * in "who has viewed my record". It is a real grant, made by the same path as any other ({@link BreakGlass});
 * made once, with the demo accounts, and never outside the demo.
 */
@Component
public class DemoEmergencyAccess {

    static final String REASON = "Seen in the urgent treatment centre out of hours with chest pain; no care "
            + "relationship recorded and the community team could not be reached";

    private final BreakGlass breakGlass;
    private final Clock clock;

    DemoEmergencyAccess(BreakGlass breakGlass, Clock clock) {
        this.breakGlass = breakGlass;
        this.clock = clock;
    }

    /** Grants the clinician emergency access to the patient's record; answers the grant's id. */
    public String open(String clinicianAccount, String clinicianFhirUser, String organisation, String patientId) {
        Requester clinician = new Requester(Requester.Kind.STAFF, clinicianAccount, clinicianFhirUser,
                Set.of(AccessRole.CLINICIAN), organisation, null, List.of(), null, null, null, clock.instant());
        return breakGlass.grant(clinician, patientId, REASON).id();
    }
}
