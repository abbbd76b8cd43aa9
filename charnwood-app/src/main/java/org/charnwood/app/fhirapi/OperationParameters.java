package org.charnwood.app.fhirapi;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input parameters of an operation, the same whether they came as a GET query or a POST {@code Parameters}
 * body: simple values as text, Coding values kept as Codings.
 */
final class OperationParameters {

    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Map<String, Coding> codings = new LinkedHashMap<>();

    static OperationParameters of(FhirCall call) {
        OperationParameters p = new OperationParameters();
        call.parameters().forEach((k, v) -> p.values.put(k, new ArrayList<>(v)));
        if ("POST".equals(call.method())) {
            String body = call.body();
            if (!body.isBlank()) {
                Resource resource = call.bodyResource();
                if (!(resource instanceof Parameters parameters)) {
                    throw FhirException.badRequest(ErrorCode.TYPE_MISMATCH,
                            "POST an operation with a Parameters resource, not " + resource.fhirType());
                }
                for (Parameters.ParametersParameterComponent part : parameters.getParameter()) {
                    if (part.getValue() instanceof Coding coding) {
                        p.codings.put(part.getName(), coding);
                    } else if (part.getValue() instanceof CodeableConcept cc && cc.hasCoding()) {
                        p.codings.put(part.getName(), cc.getCodingFirstRep());
                    } else if (part.getValue() instanceof PrimitiveType<?> primitive) {
                        p.values.computeIfAbsent(part.getName(), k -> new ArrayList<>())
                                .add(primitive.getValueAsString());
                    }
                }
            }
        }
        return p;
    }

    String get(String name) {
        List<String> v = values.get(name);
        return v == null || v.isEmpty() || v.get(0) == null || v.get(0).isBlank() ? null : v.get(0);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String require(String name, String why) {
        String v = get(name);
        if (v == null) {
            throw missing(name + " is required" + (why == null ? "" : ": " + why));
        }
        return v;
    }

    Coding coding(String name) {
        return codings.get(name);
    }

    int number(String name, int fallback, int max) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw missing(name + " must not be negative");
            }
            return Math.min(n, max);
        } catch (NumberFormatException e) {
            throw missing(name + " must be a whole number, not '" + v + "'");
        }
    }

    boolean flag(String name, boolean fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        if (!v.equals("true") && !v.equals("false")) {
            throw missing(name + " must be true or false, not '" + v + "'");
        }
        return new BooleanType(v).booleanValue();
    }

    static FhirException missing(String message) {
        return FhirException.of(400, ErrorCode.TERMINOLOGY_PARAMETER_MISSING, IssueType.REQUIRED, message);
    }
}
