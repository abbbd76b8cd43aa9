package org.charnwood.app.audit.balp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Requester;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds one FHIR R4 AuditEvent in the shape of the IHE Basic Audit Log Patterns (minimal variant:
 * identifiers and references only, never names or clinical content). What is stored is the event's facts
 * ({@link EventFacts}); the AuditEvent JSON is rendered from them when the row is read, with a streaming
 * generator rather than through the HAPI model, since a page of the trail renders many.
 */
public final class AuditEventBuilder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";
    private static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final String PROVENANCE_PARTICIPANT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    private static final String ROLE_CLASS = "http://terminology.hl7.org/CodeSystem/v3-RoleClass";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final String BALP_ENTITY_TYPE = "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType";
    /** National RBAC job-role codes (R8000 ...), as NHS CIS2 identities carry them. */
    public static final String RBAC_ROLE = "https://fhir.nhs.uk/CodeSystem/NHSDigital-SDS-JobRoleCode";
    public static final String ACCOUNT = "https://charnwood.nhs.example/Id/account";
    public static final String CLIENT = "https://charnwood.nhs.example/Id/oauth-client";
    public static final String SERVER = "https://charnwood.nhs.example/Id/audit-source";
    public static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    public static final String BREAK_GLASS_GRANT = "https://charnwood.nhs.example/Id/break-glass-grant";

    /** Which way the data flows, which decides the DICOM roles of client and server (BALP). */
    public enum Direction { TO_CLIENT, TO_SERVER, DELETE }

    /** An entity's {@code type} and {@code role} when it is a patient, after the comma that follows its {@code what}. */
    private static final String PATIENT_ENTITY_CODES = ",\"type\":{\"system\":\"" + ENTITY_TYPE
            + "\",\"code\":\"1\",\"display\":\"Person\"},\"role\":{\"system\":\"" + OBJECT_ROLE
            + "\",\"code\":\"1\",\"display\":\"Patient\"}";

    /** The agent and source JSON by what it is written from; the bound keeps odd callers from growing it. */
    private static final Map<AgentKey, String> AGENTS = new ConcurrentHashMap<>();
    private static final int AGENTS_LIMIT = 4096;

    // Package-private: EventFacts writes and reads them.
    final Instant recorded;
    final Codes type;
    final List<Codes> subtypes = new ArrayList<>();
    String action;
    int outcome;
    String outcomeDescription;
    final List<Codes> purposes = new ArrayList<>();
    Agent agent;
    Direction direction = Direction.TO_CLIENT;
    String serverId;
    String serverAddress;
    final TreeSet<String> patients = new TreeSet<>();
    final List<String> resources = new ArrayList<>();
    String query;
    String queryDescription;
    String requestId;
    String grantId;
    String detail;
    String profile;

    public AuditEventBuilder(Instant recorded, Codes type) {
        this.recorded = recorded;
        this.type = type;
    }

    public AuditEventBuilder subtype(Codes subtype) {
        subtypes.add(subtype);
        return this;
    }

    public AuditEventBuilder action(String action) {
        this.action = action;
        return this;
    }

    /** 0 success, 4 minor failure (the client's request), 8 serious failure (the server's), 12 major. */
    public AuditEventBuilder outcome(int outcome, String description) {
        this.outcome = outcome;
        this.outcomeDescription = description;
        return this;
    }

    public AuditEventBuilder purpose(Codes purpose) {
        purposes.add(purpose);
        return this;
    }

    public AuditEventBuilder requester(Requester requester, Direction direction) {
        this.agent = requester == null ? null : Agent.of(requester);
        this.direction = direction;
        return this;
    }

    AuditEventBuilder agent(Agent agent, Direction direction) {
        this.agent = agent;
        this.direction = direction;
        return this;
    }

    public AuditEventBuilder server(String id, String address) {
        this.serverId = id;
        this.serverAddress = address;
        return this;
    }

    public AuditEventBuilder patient(String id) {
        if (id != null && !id.isBlank()) {
            patients.add(id);
        }
        return this;
    }

    public AuditEventBuilder patients(java.util.Collection<String> ids) {
        ids.forEach(this::patient);
        return this;
    }

    /** A resource the interaction touched, as a (version-specific where known) reference. */
    public AuditEventBuilder resource(String reference) {
        if (reference != null) {
            resources.add(reference);
        }
        return this;
    }

    /** The raw request (method, URL and for POST searches the body), recorded base64 as BALP asks. */
    public AuditEventBuilder query(String raw, String description) {
        this.query = raw;
        this.queryDescription = description;
        return this;
    }

    public AuditEventBuilder requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    /**
     * The break-glass grant (or comma-separated grants) that covered this access: marks the event as emergency
     * access (BTG).
     */
    public AuditEventBuilder breakGlassGrant(String grantId) {
        this.grantId = grantId;
        if (grantId != null && purposes.stream().noneMatch(p -> p.equals(Codes.BTG))) {
            purposes.add(Codes.BTG);
        }
        return this;
    }

    /** Free text on the main entity (a sign-in failure reason, a break-glass reason). */
    public AuditEventBuilder detail(String detail) {
        this.detail = detail;
        return this;
    }

    public AuditEventBuilder profile(String balpProfileId) {
        this.profile = balpProfileId;
        return this;
    }

    /** The BALP profile for a RESTful action, patient-specific when the event names a patient. */
    private String restProfile() {
        if (profile != null) {
            return profile;
        }
        if (!Codes.REST.equals(type) || outcome != 0 || action == null) {
            return null;
        }
        String base = switch (action) {
            case "C" -> "Create";
            case "R" -> "Read";
            case "U" -> "Update";
            case "D" -> "Delete";
            case "E" -> subtypes.isEmpty() || !subtypes.get(0).code().startsWith("search") ? null : "Query";
            default -> null;
        };
        if (base == null) {
            return null;
        }
        return BALP + "IHE.BasicAudit." + (patients.size() == 1 ? "Patient" + base : base);
    }

    /**
     * The record to append: the searched fields, and as its body the facts of the event ({@link EventFacts}), from
     * which the AuditEvent is rendered when it is read ({@link #json(long, String)}).
     */
    public AuditRecord build() {
        String purpose = purposes.isEmpty() ? null
                : String.join(" ", purposes.stream().map(Codes::code).toList());
        return new AuditRecord(recorded, type.token(), subtypes.isEmpty() ? null : subtypes.get(0).code(), action,
                outcome, who(agent), purpose, List.copyOf(patients), EventFacts.write(this));
    }

    /**
     * The stored audit row's content as the AuditEvent it records, with its id: rendered from the facts, or (for
     * rows written before events were stored as facts) the AuditEvent JSON as it was stored.
     */
    public static String json(long seq, String content) {
        String body = EventFacts.isFacts(content) ? EventFacts.read(content).render() : content;
        if (body.startsWith("{\"resourceType\"")) {
            return body;
        }
        String rest = body.length() <= 2 ? "}" : "," + body.substring(1);
        return "{\"resourceType\":\"AuditEvent\",\"id\":\"" + seq + "\"" + rest;
    }

    /** The AuditEvent's JSON object without {@code resourceType} and {@code id}. */
    String render() {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            String p = restProfile();
            if (p != null) {
                g.writeObjectFieldStart("meta");
                g.writeArrayFieldStart("profile");
                g.writeString(p);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeFieldName("type");
            coding(g, type);
            if (!subtypes.isEmpty()) {
                g.writeArrayFieldStart("subtype");
                for (Codes s : subtypes) {
                    coding(g, s);
                }
                g.writeEndArray();
            }
            if (action != null) {
                g.writeStringField("action", action);
            }
            g.writeStringField("recorded", DateTimeFormatter.ISO_INSTANT.format(recorded));
            g.writeStringField("outcome", Integer.toString(outcome));
            if (outcomeDescription != null) {
                g.writeStringField("outcomeDesc", outcomeDescription);
            }
            if (!purposes.isEmpty()) {
                g.writeArrayFieldStart("purposeOfEvent");
                for (Codes c : purposes) {
                    concept(g, c);
                }
                g.writeEndArray();
            }
            // Always after "outcome", so the cached text starts with its separating comma.
            g.writeRaw(agentsAndSource());
            writeEntities(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The requesting agent as the audit store indexes it: the FHIR user, else the account, else the client. */
    private static String who(Agent a) {
        if (a == null) {
            return "anonymous";
        }
        if (a.fhirUser() != null) {
            return a.fhirUser();
        }
        if (a.subject() != null) {
            return a.subject();
        }
        return a.clientId() != null ? a.clientId() : "anonymous";
    }

    /**
     * Who asked, as the event records them: the requester's identity, its roles as national RBAC codes (sorted, so
     * an event renders the same every time) and where the request came from.
     */
    public record Agent(Requester.Kind kind, String subject, String fhirUser, List<Codes> roles, String organisation,
                        String clientId, String sourceAddress) {

        public Agent {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }

        static Agent of(Requester r) {
            List<Codes> roles = r.roles().stream()
                    .sorted(Comparator.comparing(AccessRole::rbacCode))
                    .map(role -> new Codes(RBAC_ROLE, role.rbacCode(), role.rbacDisplay()))
                    .toList();
            return new Agent(r.kind(), r.subject(), r.fhirUser(), roles, r.organisation(), r.clientId(),
                    r.sourceAddress());
        }
    }

    /**
     * The {@code agent} and {@code source} elements follow from who asked, which way the data flowed and this
     * server alone, and every request of a session repeats them: written once per combination (the JSON after
     * a comma, as it goes into the event) rather than element by element for every event.
     */
    private String agentsAndSource() throws IOException {
        AgentKey key = new AgentKey(agent, direction, serverId, serverAddress);
        String known = AGENTS.get(key);
        if (known != null) {
            return known;
        }
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            writeAgents(g);
            writeSource(g);
            g.writeEndObject();
        }
        String object = out.toString();
        String text = "," + object.substring(1, object.length() - 1);
        if (AGENTS.size() >= AGENTS_LIMIT) {
            AGENTS.clear();
        }
        AGENTS.put(key, text);
        return text;
    }

    /** Everything {@link #writeAgents} and {@link #writeSource} read. */
    private record AgentKey(Agent agent, Direction direction, String serverId, String serverAddress) {
    }

    private void writeAgents(JsonGenerator g) throws IOException {
        Agent r = agent;
        g.writeArrayFieldStart("agent");
        // The person (or system) who asked.
        g.writeStartObject();
        g.writeObjectFieldStart("type");
        g.writeArrayFieldStart("coding");
        coding(g, new Codes(PARTICIPATION, "IRCP", "information recipient"));
        g.writeEndArray();
        g.writeEndObject();
        if (r != null && !r.roles().isEmpty()) {
            g.writeArrayFieldStart("role");
            for (Codes role : r.roles()) {
                concept(g, role);
            }
            g.writeEndArray();
        }
        g.writeObjectFieldStart("who");
        if (r != null && r.fhirUser() != null) {
            g.writeStringField("reference", r.fhirUser());
        }
        identifier(g, ACCOUNT, r == null || r.subject() == null ? "anonymous" : r.subject());
        g.writeEndObject();
        if (r != null && r.kind() != null) {
            g.writeStringField("altId", r.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        g.writeBooleanField("requestor", true);
        boolean addressOnClient = r != null && r.clientId() != null;
        if (!addressOnClient && r != null && r.sourceAddress() != null) {
            network(g, r.sourceAddress());
        }
        g.writeEndObject();
        // The client application it came through.
        if (addressOnClient) {
            g.writeStartObject();
            agentType(g, switch (direction) {
                case TO_CLIENT -> new Codes(Codes.DICOM, "110152", "Destination Role ID");
                case TO_SERVER -> new Codes(Codes.DICOM, "110153", "Source Role ID");
                case DELETE -> new Codes(Codes.DICOM, "110150", "Application");
            });
            g.writeObjectFieldStart("who");
            identifier(g, CLIENT, r.clientId());
            g.writeEndObject();
            g.writeBooleanField("requestor", false);
            if (r.sourceAddress() != null) {
                network(g, r.sourceAddress());
            }
            g.writeEndObject();
        }
        // The organisation the person acts for.
        if (r != null && r.organisation() != null) {
            g.writeStartObject();
            agentType(g, new Codes(ROLE_CLASS, "PROV", "healthcare provider"));
            g.writeObjectFieldStart("who");
            identifier(g, ODS, r.organisation());
            g.writeEndObject();
            g.writeBooleanField("requestor", false);
            g.writeEndObject();
        }
        // This server.
        if (serverId != null) {
            g.writeStartObject();
            agentType(g, switch (direction) {
                case TO_CLIENT -> new Codes(Codes.DICOM, "110153", "Source Role ID");
                case TO_SERVER -> new Codes(Codes.DICOM, "110152", "Destination Role ID");
                case DELETE -> new Codes(PROVENANCE_PARTICIPANT, "custodian", "Custodian");
            });
            g.writeObjectFieldStart("who");
            identifier(g, SERVER, serverId);
            g.writeEndObject();
            g.writeBooleanField("requestor", false);
            if (serverAddress != null) {
                g.writeObjectFieldStart("network");
                g.writeStringField("address", serverAddress);
                g.writeStringField("type", "1");
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writeSource(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("source");
        if (serverAddress != null) {
            g.writeStringField("site", serverAddress);
        }
        g.writeObjectFieldStart("observer");
        identifier(g, SERVER, serverId == null ? "charnwood" : serverId);
        g.writeStringField("display", "Charnwood FHIR server");
        g.writeEndObject();
        g.writeArrayFieldStart("type");
        coding(g, new Codes("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        g.writeEndArray();
        g.writeEndObject();
    }

    private void writeEntities(JsonGenerator g) throws IOException {
        boolean any = !patients.isEmpty() || !resources.isEmpty() || query != null || requestId != null
                || grantId != null || detail != null;
        if (!any) {
            return;
        }
        g.writeArrayFieldStart("entity");
        for (String patient : patients) {
            g.writeStartObject();
            g.writeObjectFieldStart("what");
            g.writeStringField("reference", "Patient/" + patient);
            g.writeEndObject();
            // The same type and role for every patient (a search names up to a page of them).
            g.writeRaw(PATIENT_ENTITY_CODES);
            g.writeEndObject();
        }
        for (String reference : resources) {
            g.writeStartObject();
            g.writeObjectFieldStart("what");
            g.writeStringField("reference", reference);
            g.writeEndObject();
            g.writeFieldName("type");
            coding(g, new Codes(ENTITY_TYPE, "2", "System Object"));
            g.writeFieldName("role");
            coding(g, new Codes(OBJECT_ROLE, "4", "Domain Resource"));
            if (detail != null && resources.size() == 1) {
                g.writeStringField("description", detail);
            }
            g.writeEndObject();
        }
        if (query != null) {
            g.writeStartObject();
            g.writeFieldName("type");
            coding(g, new Codes(ENTITY_TYPE, "2", "System Object"));
            g.writeFieldName("role");
            coding(g, new Codes(OBJECT_ROLE, "24", "Query"));
            if (queryDescription != null) {
                g.writeStringField("description", queryDescription);
            }
            g.writeStringField("query", Base64.getEncoder().encodeToString(query.getBytes(StandardCharsets.UTF_8)));
            g.writeEndObject();
        }
        if (grantId != null) {
            // One entity per grant: a search or bundle may reach several patients each through its own grant.
            for (String grant : grantId.split(",")) {
                g.writeStartObject();
                g.writeObjectFieldStart("what");
                identifier(g, BREAK_GLASS_GRANT, grant);
                g.writeEndObject();
                g.writeFieldName("type");
                coding(g, new Codes(ENTITY_TYPE, "2", "System Object"));
                g.writeFieldName("role");
                coding(g, new Codes(OBJECT_ROLE, "13", "Security Resource"));
                if (detail != null && resources.isEmpty()) {
                    g.writeStringField("description", detail);
                }
                g.writeEndObject();
            }
        } else if (detail != null && resources.isEmpty()) {
            g.writeStartObject();
            g.writeFieldName("type");
            coding(g, new Codes(ENTITY_TYPE, "4", "Other"));
            g.writeStringField("description", detail);
            g.writeEndObject();
        }
        if (requestId != null) {
            g.writeStartObject();
            g.writeObjectFieldStart("what");
            identifier(g, null, requestId);
            g.writeEndObject();
            g.writeFieldName("type");
            coding(g, new Codes(BALP_ENTITY_TYPE, "XrequestId", "X-Request-Id"));
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void agentType(JsonGenerator g, Codes c) throws IOException {
        g.writeFieldName("type");
        concept(g, c);
    }

    private static void network(JsonGenerator g, String address) throws IOException {
        g.writeObjectFieldStart("network");
        g.writeStringField("address", address);
        g.writeStringField("type", "2");
        g.writeEndObject();
    }

    private static void identifier(JsonGenerator g, String system, String value) throws IOException {
        g.writeObjectFieldStart("identifier");
        if (system != null) {
            g.writeStringField("system", system);
        }
        g.writeStringField("value", value);
        g.writeEndObject();
    }

    private static void concept(JsonGenerator g, Codes c) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("coding");
        coding(g, c);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void coding(JsonGenerator g, Codes c) throws IOException {
        g.writeStartObject();
        g.writeStringField("system", c.system());
        g.writeStringField("code", c.code());
        if (c.display() != null) {
            g.writeStringField("display", c.display());
        }
        g.writeEndObject();
    }
}
