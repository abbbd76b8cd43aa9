package org.charnwood.app.fhirapi;

import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.SummaryEnum;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the client wants resources back: format ({@code _format} wins over {@code Accept}),
 * {@code _pretty}, {@code _summary} and {@code _elements}.
 */
record ResponseFormat(FhirFormat format, boolean pretty, SummaryEnum summary, Set<String> elements) {

    /** Media types of a bulk export's files, which Accept may ask for where the answer is such a file. */
    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson",
            "application/x-ndjson");

    static ResponseFormat of(HttpServletRequest request) {
        return of(request, false);
    }

    /**
     * @param ndjsonFile the interaction answers with an NDJSON file (a bulk export's): an Accept naming only that
     *                   is met by the file, and any OperationOutcome on the way is sent as JSON
     */
    static ResponseFormat of(HttpServletRequest request, boolean ndjsonFile) {
        FhirFormat format = FhirFormat.JSON;
        String explicit = request.getParameter("_format");
        if (explicit != null) {
            format = FhirFormat.fromMimeOrName(explicit);
            if (format == null) {
                throw FhirException.of(406, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                        "_format '" + explicit + "' is not supported: use json or xml");
            }
        } else {
            format = fromAccept(request.getHeader("Accept"), ndjsonFile);
        }
        boolean pretty = "true".equalsIgnoreCase(request.getParameter("_pretty"));
        SummaryEnum summary = null;
        String s = request.getParameter("_summary");
        if (s != null && !s.equals("count")) {
            summary = SummaryEnum.fromCode(s.toLowerCase(Locale.ROOT));
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
        return new ResponseFormat(format, pretty, summary, elements);
    }

    /**
     * The format Accept prefers (RFC 9110, 12.5.1): each format takes the quality of the most specific range that
     * covers it ({@code application/fhir+json} before {@code application/*} before {@code *}{@code /*}), the
     * highest quality wins, then the range named first, then JSON. No Accept, or an empty one, is JSON.
     *
     * @throws FhirException 406 when Accept covers neither format with a quality above 0
     */
    private static FhirFormat fromAccept(String accept, boolean ndjsonFile) {
        if (accept == null || accept.isBlank()) {
            return FhirFormat.JSON;
        }
        FhirFormat[] formats = {FhirFormat.JSON, FhirFormat.XML};
        int[] specificity = new int[formats.length];
        double[] quality = new double[formats.length];
        int[] position = new int[formats.length];
        boolean ndjsonAccepted = false;
        String[] ranges = accept.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].split(";");
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            ndjsonAccepted |= q > 0 && NDJSON.contains(range);
            for (int f = 0; f < formats.length; f++) {
                int covers = covers(range, formats[f]);
                if (covers > specificity[f] || covers > 0 && covers == specificity[f] && q > quality[f]) {
                    specificity[f] = covers;
                    quality[f] = q;
                    position[f] = i;
                }
            }
        }
        int best = -1;
        for (int f = 0; f < formats.length; f++) {
            if (specificity[f] > 0 && quality[f] > 0 && (best < 0 || quality[f] > quality[best]
                    || quality[f] == quality[best] && position[f] < position[best])) {
                best = f;
            }
        }
        if (best >= 0) {
            return formats[best];
        }
        if (ndjsonFile && ndjsonAccepted) {
            return FhirFormat.JSON;
        }
        throw FhirException.of(406, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                "Accept: " + accept.strip() + " names no format this server answers in: ask for "
                        + "application/fhir+json or application/fhir+xml (or use _format=json or xml)");
    }

    /**
     * How specifically a media range names the format: 3 exactly, 2 by its type ({@code application/*}), 1 as
     * any type at all, 0 not.
     */
    private static int covers(String range, FhirFormat format) {
        if (FhirFormat.fromMimeOrName(range) == format) {
            return 3;
        }
        if (range.equals("application/*") || range.equals("text/*") && format == FhirFormat.XML) {
            // text/xml is read as XML too
            return 2;
        }
        return range.equals("*/*") || range.equals("*") ? 1 : 0;
    }

    /** The {@code q} parameter of a media range; 1 when absent or unreadable. */
    private static double quality(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.length() > 2 && parameter.substring(0, 2).equalsIgnoreCase("q=")) {
                try {
                    double q = Double.parseDouble(parameter.substring(2).trim());
                    return q >= 0 && q <= 1 ? q : 1;
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }

    /** True when stored JSON can be sent as it is, without parsing and re-encoding. */
    boolean passThrough() {
        return format == FhirFormat.JSON && !pretty && summary == null && elements == null;
    }

    /**
     * The parser for a response holding resources of these types. {@code _summary=text} and {@code _elements} keep
     * each type's mandatory top-level elements as well as those asked for (the specification says they should), so
     * what comes back is still a valid resource: an Observation keeps its status and code, an OperationOutcome its
     * issues.
     */
    IParser parser(Collection<String> types) {
        IParser parser = format.newParser().setPrettyPrint(pretty);
        if (summary == SummaryEnum.TRUE) {
            parser.setSummaryMode(true);
        } else if (summary == SummaryEnum.TEXT) {
            Set<String> paths = new LinkedHashSet<>(List.of("*.text", "*.id", "*.meta"));
            paths.addAll(MandatoryElements.of(types));
            parser.setEncodeElements(paths);
        } else if (summary == SummaryEnum.DATA) {
            parser.setOmitResourceId(false);
            parser.setSuppressNarratives(true);
        }
        if (elements != null) {
            // _elements names top-level elements of whatever type is returned; meta carries SUBSETTED.
            Set<String> paths = new LinkedHashSet<>();
            elements.forEach(e -> paths.add(e.contains(".") ? e : "*." + e));
            paths.add("*.meta");
            paths.addAll(MandatoryElements.of(types));
            parser.setEncodeElements(paths);
            parser.setEncodeElementsAppliesToChildResourcesOnly(false);
        }
        return parser;
    }

    String contentType() {
        return format.mediaType() + ";charset=UTF-8";
    }
}
