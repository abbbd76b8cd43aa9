package org.charnwood.app.terminology.web;

import org.charnwood.app.terminology.TerminologySearch;
import org.charnwood.app.terminology.TerminologyServer;
import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.snomed.SearchHit;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/terminology/search?q=diab mell&ecl=<< 404684003&limit=10} answers
 * {@code [{"code":"…","display":"…","fsn":"…"}]}: the concept's preferred term as display, and the fully specified
 * name when it differs. Errors are {@code {"error": "…", "code": "CHARNWOOD-…"}} with the FHIR status.
 */
@RestController
class TypeaheadEndpoint {

    private final TerminologySearch search;
    private final TerminologyServer server;

    TypeaheadEndpoint(TerminologySearch search, TerminologyServer server) {
        this.search = search;
        this.server = server;
    }

    @GetMapping(path = "/api/terminology/search", produces = "application/json")
    List<Map<String, String>> search(@RequestParam(name = "q", required = false) String q,
                                     @RequestParam(name = "ecl", required = false) String ecl,
                                     @RequestParam(name = "limit", defaultValue = "10") int limit) {
        if (q == null || q.isBlank()) {
            throw FhirException.badRequest(ErrorCode.TERMINOLOGY_PARAMETER_MISSING, "q (the text typed) is required");
        }
        SnomedRelease release = server.current().requireSnomed();
        return search.search(q, ecl, limit, false).stream().map(hit -> row(hit, release)).toList();
    }

    private static Map<String, String> row(SearchHit hit, SnomedRelease release) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("code", Long.toString(hit.conceptId()));
        row.put("display", hit.preferredTerm());
        String fsn = release.fullySpecifiedName(release.index(hit.conceptId()));
        if (fsn != null && !fsn.equals(hit.preferredTerm())) {
            row.put("fsn", fsn);
        }
        if (!hit.term().equals(hit.preferredTerm())) {
            row.put("matched", hit.term());
        }
        return row;
    }

    @ExceptionHandler(FhirException.class)
    ResponseEntity<Map<String, String>> refused(FhirException e) {
        var issue = e.outcome().getIssueFirstRep();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", issue.getDiagnostics());
        body.put("code", issue.getDetails().getCodingFirstRep().getCode());
        return ResponseEntity.status(e.status()).body(body);
    }
}
