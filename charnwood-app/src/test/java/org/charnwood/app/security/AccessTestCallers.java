package org.charnwood.app.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Tests only: the caller of a request, read from the {@value #HEADER} header, so integration tests can act as
 * any kind of caller while authentication is built separately. Without the header a request is the full-access
 * system caller the application uses while no authentication is configured, so tests that do not care about
 * access are unaffected. This is the one place to switch to real tokens.
 *
 * <p>Header: {@code kind=STAFF;user=Practitioner/p1;roles=CLINICIAN,ANALYST;scopes=user/*.rs patient/Observation.rs;
 * patient=p9;client=app}; {@code kind=ANONYMOUS} for nobody signed in.
 */
@Component
@Primary
public class AccessTestCallers implements RequesterSource {

    public static final String HEADER = "X-Test-Caller";

    private final org.springframework.beans.factory.ObjectProvider<RequesterSource> sources;

    public AccessTestCallers(org.springframework.beans.factory.ObjectProvider<RequesterSource> sources) {
        this.sources = sources;
    }

    @Override
    public Requester current(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header == null || header.isBlank()) {
            return sources.orderedStream().filter(source -> source != this).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No requester source")).current(request);
        }
        Requester.Kind kind = Requester.Kind.STAFF;
        String user = null;
        Set<AccessRole> roles = EnumSet.noneOf(AccessRole.class);
        List<String> scopes = List.of();
        String patient = null;
        String client = null;
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            switch (key) {
                case "kind" -> kind = Requester.Kind.valueOf(value);
                case "user" -> user = value;
                case "roles" -> Arrays.stream(value.split(",")).filter(s -> !s.isBlank())
                        .forEach(r -> roles.add(AccessRole.valueOf(r.trim())));
                case "scopes" -> scopes = Arrays.stream(value.split(" ")).filter(s -> !s.isBlank()).toList();
                case "patient" -> patient = value;
                case "client" -> client = value;
                default -> throw new IllegalArgumentException("unknown test caller field " + key);
            }
        }
        if (kind == Requester.Kind.ANONYMOUS) {
            return Requester.anonymous(request.getRemoteAddr());
        }
        return new Requester(kind, user == null ? "test-system" : user, user, roles, "RT5", client, scopes, patient,
                null, request.getRemoteAddr(), Instant.now());
    }

    static Requester openAccess(String address) {
        return new Requester(Requester.Kind.SYSTEM, "open-access", null, Set.of(), null, null,
                List.of("system/*.cruds"), null, null, address, null);
    }

    /** The header value for a member of staff. */
    public static String staff(String practitionerId, AccessRole... roles) {
        return "kind=STAFF;user=Practitioner/" + practitionerId + ";roles="
                + String.join(",", Arrays.stream(roles).map(Enum::name).toList());
    }

    /** The header value for a patient. */
    public static String patient(String patientId) {
        return "kind=PATIENT;user=Patient/" + patientId + ";patient=" + patientId;
    }

    /** The header value for a carer. */
    public static String carer(String relatedPersonId) {
        return "kind=CARER;user=RelatedPerson/" + relatedPersonId;
    }

    /** The header value for a backend system with these scopes. */
    public static String system(String... scopes) {
        return "kind=SYSTEM;client=backend;scopes=" + String.join(" ", scopes);
    }

    /** The header value for nobody signed in. */
    public static String anonymous() {
        return "kind=ANONYMOUS";
    }
}
