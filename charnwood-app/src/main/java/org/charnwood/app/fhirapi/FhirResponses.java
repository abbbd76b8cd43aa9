package org.charnwood.app.fhirapi;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.SummaryEnum;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.charnwood.app.security.OtherPatientsLeftOut;
import org.charnwood.fhir.ExactJson;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Renders resources, bundles and outcomes in the format the client asked for. */
final class FhirResponses {

    private static final JsonFactory JSON = new JsonFactory();

    private FhirResponses() {
    }

    static ResponseEntity<byte[]> stored(StoredResource r, ResponseFormat f, int status, HttpHeaders headers) {
        headers.setETag("W/\"" + r.version() + "\"");
        headers.setLastModified(r.lastUpdated());
        return ResponseEntity.status(status).headers(headers).header(HttpHeaders.CONTENT_TYPE, f.contentType())
                .body(storedBytes(r.json(), f));
    }

    static ResponseEntity<byte[]> resource(Resource r, ResponseFormat f, int status, HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).header(HttpHeaders.CONTENT_TYPE, f.contentType())
                .body(encode(r, f).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] storedBytes(String json, ResponseFormat f) {
        if (f.passThrough()) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        return encode(parse(json), f).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Leaves the resource's SUBSETTED tag (one shown without other patients, decision 26) to the parser when the
     * parser is to tag it itself: HAPI adds its own without looking for one already there, and two would be a
     * duplicate. A resource the parser leaves whole keeps the tag it has, so it is tagged once either way.
     */
    private static void subsettedOnce(Resource r, ResponseFormat f, Collection<String> trimmed) {
        if (f.parserTagsSubsetted(r.fhirType(), trimmed)) {
            r.getMeta().getTag().removeIf(t -> OtherPatientsLeftOut.SUBSETTED_SYSTEM.equals(t.getSystem())
                    && OtherPatientsLeftOut.SUBSETTED.equals(t.getCode()));
        }
    }

    static Resource parse(String json) {
        return ExactJson.parse(json);
    }

    /**
     * The resource in the asked format. A resource trimmed by {@code _summary} or {@code _elements} is tagged
     * SUBSETTED by the parser itself (HAPI adds the tag whenever it leaves elements out), so it is not added here,
     * and one the resource carried already is left to the parser's (see {@link #subsettedOnce}).
     */
    static String encode(Resource r, ResponseFormat f) {
        IParser parser = f.parser(List.of(r.fhirType()));
        subsettedOnce(r, f, null);
        return parser.encodeResourceToString(r);
    }

    static ResponseEntity<byte[]> bundle(BundlePage page, ResponseFormat f) {
        byte[] body = f.passThrough() ? fastJson(page) : encodeBundle(toModel(page), f).getBytes(StandardCharsets.UTF_8);
        return ResponseEntity.ok().header(HttpHeaders.CONTENT_TYPE, f.contentType()).body(body);
    }

    /**
     * {@code _elements} and {@code _summary} trim the resources in a bundle, not the bundle itself. Each trimmed
     * entry resource is tagged SUBSETTED by the parser as it trims it (see {@link #subsettedOnce}), once.
     */
    private static String encodeBundle(Bundle bundle, ResponseFormat f) {
        Set<String> types = bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                .map(e -> e.getResource().fhirType()).collect(java.util.stream.Collectors.toSet());
        // In a searchset _elements trims the matches only; included resources come back whole.
        Set<String> matched = bundle.getType() != BundleType.SEARCHSET ? null : bundle.getEntry().stream()
                .filter(e -> e.hasResource() && e.getSearch().getMode() == Bundle.SearchEntryMode.MATCH)
                .map(e -> e.getResource().fhirType()).collect(java.util.stream.Collectors.toSet());
        IParser parser = f.parser(types, matched);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource()) {
                subsettedOnce(entry.getResource(), f, matched);
            }
        }
        if (f.summary() == SummaryEnum.TRUE || f.summary() == SummaryEnum.DATA) {
            // HAPI tags SUBSETTED every resource it encodes in summary mode or without narratives, the bundle as well,
            // which would tell the client the searchset itself was cut. So the entries are trimmed (and tagged) one
            // by one, each as the resource it is, and the bundle around them written whole.
            IParser reader = f.format().newParser();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.hasResource()) {
                    String trimmed = parser.encodeResourceToString(entry.getResource());
                    entry.setResource(f.format() == FhirFormat.JSON ? ExactJson.parse(trimmed)
                            : (Resource) reader.parseResource(trimmed));
                }
            }
            return f.format().newParser().setPrettyPrint(f.pretty()).encodeResourceToString(bundle);
        }
        if (f.elements() != null || f.summary() != null) {
            parser.setEncodeElementsAppliesToChildResourcesOnly(true);
        }
        return parser.encodeResourceToString(bundle);
    }

    private static Bundle toModel(BundlePage page) {
        Bundle b = new Bundle();
        b.setId(UUID.randomUUID().toString());
        b.getMeta().setLastUpdatedElement(new InstantType(Date.from(lastUpdated(page))));
        b.setType(BundleType.fromCode(page.type()));
        if (page.total() != null) {
            b.setTotal(page.total());
        }
        for (BundlePage.Link l : page.links()) {
            b.addLink().setRelation(l.relation()).setUrl(l.url());
        }
        for (BundlePage.Entry e : page.entries()) {
            Bundle.BundleEntryComponent entry = b.addEntry().setFullUrl(e.fullUrl());
            if (e.stored() != null && e.stored().json() != null) {
                entry.setResource(parse(e.stored().json()));
            } else if (e.resource() != null) {
                entry.setResource(e.resource());
            }
            if (e.searchMode() != null) {
                entry.getSearch().setMode(Bundle.SearchEntryMode.fromCode(e.searchMode()));
            }
            if (e.requestMethod() != null) {
                entry.getRequest().setMethod(Bundle.HTTPVerb.fromCode(e.requestMethod())).setUrl(e.requestUrl());
            }
            if (e.responseStatus() != null) {
                entry.getResponse().setStatus(e.responseStatus());
                if (e.stored() != null) {
                    entry.getResponse().setEtag("W/\"" + e.stored().version() + "\"")
                            .setLastModified(Date.from(e.stored().lastUpdated()));
                }
            }
        }
        return b;
    }

    /** Writes the bundle as JSON around the stored resource text, parsing nothing. */
    private static byte[] fastJson(BundlePage page) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("id", UUID.randomUUID().toString());
            g.writeObjectFieldStart("meta");
            g.writeStringField("lastUpdated", instant(lastUpdated(page)));
            g.writeEndObject();
            g.writeStringField("type", page.type());
            if (page.total() != null) {
                g.writeNumberField("total", page.total());
            }
            if (!page.links().isEmpty()) {
                g.writeArrayFieldStart("link");
                for (BundlePage.Link l : page.links()) {
                    g.writeStartObject();
                    g.writeStringField("relation", l.relation());
                    g.writeStringField("url", l.url());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!page.entries().isEmpty()) {
                g.writeArrayFieldStart("entry");
                for (BundlePage.Entry e : page.entries()) {
                    writeEntry(g, e);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeEntry(JsonGenerator g, BundlePage.Entry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("fullUrl", e.fullUrl());
        if (e.stored() != null && e.stored().json() != null) {
            g.writeFieldName("resource");
            g.writeRawValue(e.stored().json());
        } else if (e.resource() != null) {
            g.writeFieldName("resource");
            g.writeRawValue(FhirContexts.r4().newJsonParser().encodeResourceToString(e.resource()));
        }
        if (e.searchMode() != null) {
            g.writeObjectFieldStart("search");
            g.writeStringField("mode", e.searchMode());
            g.writeEndObject();
        }
        if (e.requestMethod() != null) {
            g.writeObjectFieldStart("request");
            g.writeStringField("method", e.requestMethod());
            g.writeStringField("url", e.requestUrl());
            g.writeEndObject();
        }
        if (e.responseStatus() != null) {
            g.writeObjectFieldStart("response");
            g.writeStringField("status", e.responseStatus());
            if (e.stored() != null) {
                g.writeStringField("etag", "W/\"" + e.stored().version() + "\"");
                g.writeStringField("lastModified", instant(e.stored().lastUpdated()));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static Instant lastUpdated(BundlePage page) {
        return page.lastUpdated() != null ? page.lastUpdated() : Instant.now();
    }

    private static String instant(Instant i) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atOffset(ZoneOffset.UTC));
    }
}
