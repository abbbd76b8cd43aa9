package org.charnwood.app.terminology;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.ecl.Ecl;
import org.charnwood.terminology.ecl.EclBudget;
import org.charnwood.terminology.ecl.EclCostExceededException;
import org.charnwood.terminology.ecl.EclExpression;
import org.charnwood.terminology.ecl.EclSyntaxException;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * SNOMED CT implicit value sets ({@code http://snomed.info/sct?fhir_vs}, {@code ?fhir_vs=isa/<id>},
 * {@code ?fhir_vs=refset/<id>}, {@code ?fhir_vs=ecl/<ECL>}) as ECL, and ECL evaluated with its errors turned
 * into FHIR errors: a syntax error is a 400 naming the position, a constraint over the cost budget a 422.
 */
public final class ImplicitValueSets {

    private static final String PREFIX = ServedTerminology.SNOMED_SYSTEM + "?fhir_vs";
    private static final String EDITION_PREFIX = ServedTerminology.SNOMED_SYSTEM + "/";

    private ImplicitValueSets() {
    }

    /** Whether the URL names a SNOMED CT implicit value set. */
    public static boolean isImplicit(String url) {
        return url != null && (url.startsWith(PREFIX) || url.startsWith(EDITION_PREFIX) && url.contains("?fhir_vs"));
    }

    /** The ECL an implicit value set URL stands for. */
    public static String ecl(String url) {
        if (!isImplicit(url)) {
            throw FhirException.of(404, ErrorCode.UNKNOWN_VALUE_SET, IssueType.NOTFOUND,
                    "Value set " + url + " is not known here: use a SNOMED CT implicit value set such as "
                            + "http://snomed.info/sct?fhir_vs=ecl/<< 404684003", "url");
        }
        String query = url.substring(url.indexOf("?fhir_vs") + "?fhir_vs".length());
        if (query.isEmpty()) {
            return "*";
        }
        if (!query.startsWith("=")) {
            throw unknown(url);
        }
        String value = query.substring(1);
        if (value.startsWith("isa/")) {
            return "<< " + digits(value.substring(4), url);
        }
        if (value.startsWith("refset/")) {
            return "^ " + digits(value.substring(7), url);
        }
        if (value.equals("refset")) {
            return "< 900000000000455006";
        }
        if (value.startsWith("ecl/")) {
            String ecl = value.substring(4);
            // Clients send the ECL percent-encoded inside the url parameter; decode what is still encoded.
            return ecl.contains("%") ? URLDecoder.decode(ecl, StandardCharsets.UTF_8) : ecl;
        }
        throw unknown(url);
    }

    private static String digits(String id, String url) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            throw unknown(url);
        }
        return id;
    }

    private static FhirException unknown(String url) {
        return FhirException.of(404, ErrorCode.UNKNOWN_VALUE_SET, IssueType.NOTFOUND,
                "Value set " + url + " is not a SNOMED CT implicit value set this server knows"
                        + " (fhir_vs, fhir_vs=isa/<id>, fhir_vs=refset/<id>, fhir_vs=ecl/<ECL>)", "url");
    }

    /** Parses ECL, refusing bad text with 400 and the position of the fault. */
    public static EclExpression parse(String ecl) {
        try {
            return Ecl.parse(ecl);
        } catch (EclSyntaxException e) {
            throw FhirException.of(400, ErrorCode.ECL_SYNTAX, IssueType.INVALID,
                    "ECL is not valid: " + e.getMessage());
        }
    }

    /** Evaluates ECL over the release within the budget, refusing too costly constraints with 422. */
    public static BitSet evaluate(EclExpression expression, SnomedRelease release, EclBudget budget) {
        try {
            return expression.evaluate(release, budget);
        } catch (EclCostExceededException e) {
            throw tooCostly(e);
        }
    }

    /** Whether one concept matches, with the same error handling. */
    public static boolean matches(EclExpression expression, SnomedRelease release, long conceptId) {
        try {
            return expression.matchesConceptId(release, conceptId, EclBudget.standard());
        } catch (EclCostExceededException e) {
            throw tooCostly(e);
        }
    }

    private static FhirException tooCostly(EclCostExceededException e) {
        return FhirException.of(422, ErrorCode.ECL_TOO_COSTLY, IssueType.TOOCOSTLY,
                "The expression constraint is too costly to evaluate here: " + e.getMessage()
                        + ". Narrow it (for example a lower hierarchy, a refinement or a filter).");
    }
}
