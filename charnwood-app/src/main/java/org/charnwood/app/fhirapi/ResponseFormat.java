package org.charnwood.app.fhirapi;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.SummaryEnum;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.fhir.AnswerFormat;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How the client wants resources back: format ({@code _format} wins over {@code Accept}),
 * {@code _pretty}, {@code _summary} and {@code _elements}.
 */
record ResponseFormat(AnswerFormat answer, boolean pretty, SummaryEnum summary, Set<String> elements) {

    static ResponseFormat of(HttpServletRequest request) {
        return of(request, false);
    }

    /**
     * @param ndjsonFile the interaction answers with an NDJSON file (a bulk export's): an Accept naming only that
     *                   is met by the file, and any OperationOutcome on the way is sent as JSON
     */
    static ResponseFormat of(HttpServletRequest request, boolean ndjsonFile) {
        AnswerFormat answer = AnswerFormat.negotiate(request.getParameter("_format"), request.getHeader("Accept"),
                ndjsonFile);
        boolean pretty = pretty(request);
        SummaryEnum summary = null;
        String s = request.getParameter("_summary");
        if (s != null && !s.equals("count")) {
            // Parameter values are case-sensitive (R4 search.html): _summary=TRUE is refused here as a search
            // refuses it, so that a read and a search of the same resource do not disagree.
            summary = SummaryEnum.fromCode(s);
            if (summary == null) {
                throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                        "_summary must be one of true, text, data, count or false");
            }
            if (summary == SummaryEnum.FALSE) {
                summary = null;
            }
        }
        Set<String> elements = null;
        String e = request.getParameter("_elements");
        if (e != null && !e.isBlank()) {
            elements = new LinkedHashSet<>(Arrays.stream(e.split(",")).map(String::trim)
                    .filter(x -> !x.isEmpty()).toList());
        }
        return new ResponseFormat(answer, pretty, summary, elements);
    }

    /** True when stored JSON can be sent as it is, without parsing and re-encoding. */
    boolean passThrough() {
        return format() == FhirFormat.JSON && !pretty && summary == null && elements == null;
    }

    /**
     * The parser for a response holding resources of these types. {@code _summary=text} and {@code _elements} keep
     * each type's mandatory top-level elements as well as those asked for (the specification says they should), so
     * what comes back is still a valid resource: an Observation keeps its status and code, an OperationOutcome its
     * issues; {@code _elements} its modifier elements too, so what comes back means what the whole resource means
     * (KeptElements).
     */
    IParser parser(Collection<String> types) {
        return parser(types, null);
    }

    /**
     * As {@link #parser(Collection)}, with {@code _elements} trimming only resources of {@code trimmed} (null: all).
     * In a searchset {@code _elements} names elements of the searched type: the matches are trimmed, while included
     * resources and the warnings' OperationOutcome come back whole, as the search specification has it.
     */
    IParser parser(Collection<String> types, Collection<String> trimmed) {
        IParser parser = format().newParser().setPrettyPrint(pretty);
        if (summary == SummaryEnum.TRUE) {
            parser.setSummaryMode(true);
        } else if (summary == SummaryEnum.TEXT) {
            Set<String> paths = new LinkedHashSet<>(List.of("*.text", "*.id", "*.meta"));
            paths.addAll(KeptElements.mandatory(types));
            parser.setEncodeElements(paths);
        } else if (summary == SummaryEnum.DATA) {
            parser.setOmitResourceId(false);
            parser.setSuppressNarratives(true);
        }
        if (elements != null) {
            // _elements names top-level elements of the type returned; meta carries SUBSETTED. Paths naming types
            // (never '*') leave the parser to encode resources of any other type whole.
            Collection<String> subject = trimmed == null ? List.of("*") : trimmed;
            Set<String> paths = new LinkedHashSet<>();
            for (String type : subject) {
                elements.forEach(e -> paths.add(e.contains(".") ? e : type + "." + e));
                paths.add(type + ".meta");
            }
            paths.addAll(KeptElements.mandatoryAndModifiers(trimmed == null ? types : trimmed));
            parser.setEncodeElements(paths);
            parser.setEncodeElementsAppliesToChildResourcesOnly(false);
        }
        return parser;
    }

    /**
     * Whether {@link #parser(Collection, Collection)} tags a resource of this type SUBSETTED as it writes it. HAPI
     * adds the tag to every resource it writes in summary mode or without narratives, and to every resource of a
     * type its element paths apply to, and it adds it without looking for one the resource already carries: so
     * this says, by the same settings as the parser's, which resources come out tagged by it.
     */
    boolean parserTagsSubsetted(String type, Collection<String> trimmed) {
        if (summary == SummaryEnum.TRUE || summary == SummaryEnum.DATA) {
            return true;
        }
        if (elements != null) {
            return trimmed == null || trimmed.contains(type);
        }
        return summary == SummaryEnum.TEXT;
    }

    static boolean pretty(HttpServletRequest request) {
        return "true".equalsIgnoreCase(request.getParameter("_pretty"));
    }

    FhirFormat format() {
        return answer.format();
    }

    /** The media type asked for when it was a generic JSON or XML one, else the FHIR one. */
    String contentType() {
        return answer.contentType();
    }
}
