package org.charnwood.fhir;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.Locale;
import java.util.Set;

/**
 * The format a response is written in and the media type it is labelled with. {@code _format} wins over
 * {@code Accept}. R4 (http.html, "Content Types and encodings") asks a server given a generic media type
 * ({@code application/json}, {@code text/json}, {@code application/xml}, {@code text/xml}) to answer with that
 * type, in the FHIR format it stands for, so the media type is the one asked for when it was such a type.
 *
 * @param format    JSON or XML
 * @param mediaType the Content-Type of the answer, without charset
 */
public record AnswerFormat(FhirFormat format, String mediaType) {

    /** The media types that stand for a FHIR format without naming FHIR, answered as they were asked. */
    private static final Set<String> GENERIC = Set.of("application/json", "text/json", "application/xml", "text/xml");

    /** Media types of a bulk export's files, which Accept may ask for where the answer is such a file. */
    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson",
            "application/x-ndjson");

    public static final AnswerFormat JSON = new AnswerFormat(FhirFormat.JSON, FhirFormat.JSON.mediaType());

    /**
     * @param formatParameter the {@code _format} parameter, or null
     * @param accept          the Accept header, or null
     * @param ndjsonFile      the interaction answers with an NDJSON file (a bulk export's): an Accept naming only
     *                        that is met by the file, and any OperationOutcome on the way is sent as JSON
     * @throws FhirException 406 when {@code _format} names no format, or Accept covers neither with a quality
     *                       above 0
     */
    public static AnswerFormat negotiate(String formatParameter, String accept, boolean ndjsonFile) {
        if (formatParameter != null) {
            FhirFormat format = FhirFormat.fromMimeOrName(formatParameter);
            if (format == null) {
                throw FhirException.of(406, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                        "_format '" + formatParameter + "' is not supported: use json or xml (FHIR R4)");
            }
            return of(format, formatParameter);
        }
        return fromAccept(accept, ndjsonFile);
    }

    /** The format asked for, labelled with the type asked for when that is a generic JSON or XML type. */
    private static AnswerFormat of(FhirFormat format, String asked) {
        String type = bare(asked);
        return new AnswerFormat(format, GENERIC.contains(type) ? type : format.mediaType());
    }

    /**
     * The format Accept prefers (RFC 9110, 12.5.1): each format takes the quality of the most specific range that
     * covers it ({@code application/fhir+json} before {@code application/*} before {@code *}{@code /*}), the
     * highest quality wins, then the range named first, then JSON. No Accept, or an empty one, is JSON.
     */
    private static AnswerFormat fromAccept(String accept, boolean ndjsonFile) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        FhirFormat[] formats = {FhirFormat.JSON, FhirFormat.XML};
        int[] specificity = new int[formats.length];
        double[] quality = new double[formats.length];
        int[] position = new int[formats.length];
        String[] named = new String[formats.length];
        boolean ndjsonAccepted = false;
        String[] ranges = accept.split(",");
        for (int i = 0; i < ranges.length; i++) {
            String[] parts = ranges[i].split(";");
            String range = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = quality(parts);
            if (!FhirFormat.isR4(ranges[i])) {
                continue; // another FHIR version's format is not one this server answers in
            }
            ndjsonAccepted |= q > 0 && NDJSON.contains(range);
            for (int f = 0; f < formats.length; f++) {
                int covers = covers(range, formats[f]);
                if (covers > specificity[f] || covers > 0 && covers == specificity[f] && q > quality[f]) {
                    specificity[f] = covers;
                    quality[f] = q;
                    position[f] = i;
                    named[f] = range;
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
            return of(formats[best], named[best]);
        }
        if (ndjsonFile && ndjsonAccepted) {
            return JSON;
        }
        throw FhirException.of(406, ErrorCode.UNSUPPORTED_FORMAT, IssueType.NOTSUPPORTED,
                "Accept: " + accept.strip() + " names no format this server answers in: ask for "
                        + "application/fhir+json or application/fhir+xml (or use _format=json or xml), of FHIR R4"
                        + " (fhirVersion=4.0, or no fhirVersion)");
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

    private static String bare(String mediaType) {
        String v = mediaType.toLowerCase(Locale.ROOT).trim();
        int semi = v.indexOf(';');
        return semi >= 0 ? v.substring(0, semi).trim() : v;
    }

    /** The Content-Type header value. */
    public String contentType() {
        return mediaType + ";charset=UTF-8";
    }
}
