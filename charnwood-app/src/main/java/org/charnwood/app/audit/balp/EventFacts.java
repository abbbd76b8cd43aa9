package org.charnwood.app.audit.balp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.charnwood.app.audit.balp.AuditEventBuilder.Agent;
import org.charnwood.app.audit.balp.AuditEventBuilder.Direction;
import org.charnwood.app.security.Requester;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an audit row stores: the facts an AuditEvent is made from (who, what, when, which patients, the query,
 * the outcome), as a small JSON object, rather than the AuditEvent itself. The BALP rendering repeats long
 * system URLs, fixed codings and the requester's agents and source in every event; a search's event is about
 * 3,600 characters rendered and about 930 as facts, which PostgreSQL stores without compressing it. The facts
 * are what the hash chain protects; {@link AuditEventBuilder#json} renders the AuditEvent from them when read.
 *
 * <p>The object starts with {@code "facts":1} (the format's version), which tells it apart from the AuditEvent
 * JSON that earlier rows hold.
 */
final class EventFacts {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();
    private static final String MARK = "{\"facts\":1";

    private EventFacts() {
    }

    static boolean isFacts(String content) {
        return content != null && content.startsWith(MARK);
    }

    static String write(AuditEventBuilder b) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("facts", 1);
            g.writeStringField("recorded", b.recorded.toString());
            g.writeFieldName("type");
            codes(g, b.type);
            codesList(g, "subtype", b.subtypes);
            optional(g, "action", b.action);
            g.writeNumberField("outcome", b.outcome);
            optional(g, "outcomeDesc", b.outcomeDescription);
            codesList(g, "purpose", b.purposes);
            if (b.agent != null) {
                Agent a = b.agent;
                g.writeObjectFieldStart("agent");
                g.writeStringField("kind", a.kind().name());
                optional(g, "subject", a.subject());
                optional(g, "fhirUser", a.fhirUser());
                codesList(g, "roles", a.roles());
                optional(g, "organisation", a.organisation());
                optional(g, "client", a.clientId());
                optional(g, "address", a.sourceAddress());
                g.writeEndObject();
            }
            g.writeStringField("direction", b.direction.name());
            optional(g, "server", b.serverId);
            optional(g, "serverAddress", b.serverAddress);
            strings(g, "patients", b.patients);
            strings(g, "resources", b.resources);
            optional(g, "query", b.query);
            optional(g, "queryDesc", b.queryDescription);
            optional(g, "requestId", b.requestId);
            optional(g, "grant", b.grantId);
            optional(g, "detail", b.detail);
            optional(g, "profile", b.profile);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return withoutNul(out.toString());
    }

    /** The builder that {@link #write} was given, as far as the event it renders goes. */
    static AuditEventBuilder read(String facts) {
        JsonNode n;
        try {
            n = READER.readTree(facts);
        } catch (IOException e) {
            throw new IllegalArgumentException("not the facts of an audit event: " + e.getMessage(), e);
        }
        AuditEventBuilder b = new AuditEventBuilder(Instant.parse(n.path("recorded").asText()), codes(n.path("type")));
        b.subtypes.addAll(codesList(n.path("subtype")));
        b.action = text(n, "action");
        b.outcome = n.path("outcome").asInt();
        b.outcomeDescription = text(n, "outcomeDesc");
        b.purposes.addAll(codesList(n.path("purpose")));
        JsonNode a = n.get("agent");
        Agent agent = a == null ? null : new Agent(Requester.Kind.valueOf(a.path("kind").asText()), text(a, "subject"),
                text(a, "fhirUser"), codesList(a.path("roles")), text(a, "organisation"), text(a, "client"),
                text(a, "address"));
        b.agent(agent, Direction.valueOf(n.path("direction").asText(Direction.TO_CLIENT.name())));
        b.server(text(n, "server"), text(n, "serverAddress"));
        n.path("patients").forEach(p -> b.patients.add(p.asText()));
        n.path("resources").forEach(r -> b.resources.add(r.asText()));
        b.query = text(n, "query");
        b.queryDescription = text(n, "queryDesc");
        b.requestId = text(n, "requestId");
        b.grantId = text(n, "grant");
        b.detail = text(n, "detail");
        b.profile = text(n, "profile");
        return b;
    }

    private static void optional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static void strings(JsonGenerator g, String name, Iterable<String> values) throws IOException {
        if (!values.iterator().hasNext()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    /** A code as {@code [system, code, display]}. */
    private static void codes(JsonGenerator g, Codes c) throws IOException {
        g.writeStartArray();
        g.writeString(c.system());
        g.writeString(c.code());
        g.writeString(c.display());
        g.writeEndArray();
    }

    private static void codesList(JsonGenerator g, String name, List<Codes> list) throws IOException {
        if (list.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(name);
        for (Codes c : list) {
            codes(g, c);
        }
        g.writeEndArray();
    }

    private static Codes codes(JsonNode n) {
        return new Codes(n.path(0).asText(), n.path(1).asText(), n.path(2).isTextual() ? n.path(2).asText() : null);
    }

    private static List<Codes> codesList(JsonNode n) {
        List<Codes> list = new ArrayList<>();
        n.forEach(c -> list.add(codes(c)));
        return list;
    }

    private static String text(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /**
     * The JSON with each escaped NUL (a backslash, {@code u} and four zeros) written as U+FFFD. The facts carry what a request sent (its
     * query, a refused value), which may hold a NUL; JSON escapes it, but PostgreSQL's jsonb refuses that escape
     * (SQLSTATE 22P05), and the trail's readers cast stored rows to jsonb, so one such row would break every
     * query over the rows around it. Escapes are read pairwise, so an escaped backslash followed by
     * {@code u0000} is left as it is.
     */
    static String withoutNul(String json) {
        if (!json.contains("\\u0000")) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 >= json.length()) {
                out.append(c);
            } else if (json.startsWith("u0000", i + 1)) {
                out.append("\\uFFFD");
                i += 5;
            } else {
                out.append(c).append(json.charAt(++i));
            }
        }
        return out.toString();
    }
}
