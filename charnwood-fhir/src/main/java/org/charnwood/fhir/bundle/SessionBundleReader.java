package org.charnwood.fhir.bundle;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.ExactJson;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.RepositorySettings;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchOutcome;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default {@link BundleReader}: reads and searches through the entry's {@link WriteSession},
 * so they see the transaction's own writes. Search results carry relative self and next links.
 */
public final class SessionBundleReader implements BundleReader {

    private final RepositorySettings settings;

    public SessionBundleReader(RepositorySettings settings) {
        this.settings = settings;
    }

    @Override
    public Resource read(WriteSession session, String type, String id) throws SQLException {
        StoredResource stored = session.current(type, id).orElseThrow(() -> FhirException.notFound(type, id));
        if (stored.deleted()) {
            throw FhirException.gone(type, id);
        }
        return parse(stored);
    }

    @Override
    public Resource vread(WriteSession session, String type, String id, int version) throws SQLException {
        var stored = session.version(type, id, version);
        if (stored.isEmpty()) {
            if (session.current(type, id).isEmpty()) {
                throw FhirException.notFound(type, id);
            }
            throw FhirException.of(404, ErrorCode.VERSION_NOT_FOUND, IssueType.NOTFOUND,
                    type + "/" + id + " has no version " + version);
        }
        if (stored.get().deleted()) {
            throw FhirException.of(410, ErrorCode.RESOURCE_GONE, IssueType.DELETED,
                    "Version " + version + " of " + type + "/" + id + " records its deletion");
        }
        return parse(stored.get());
    }

    @Override
    public Bundle search(WriteSession session, String type, Map<String, List<String>> parameters)
            throws SQLException {
        Map<String, List<String>> params = new LinkedHashMap<>(parameters);
        params.put("_count", List.of(Integer.toString(pageSize(params.get("_count")))));
        SearchOutcome outcome = session.search(new SearchRequest(type, params, false));
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        if (outcome.total() != null) {
            bundle.setTotal(outcome.total());
        }
        String base = (type == null ? "" : type) + "?" + outcome.selfQuery();
        bundle.addLink().setRelation("self").setUrl(base);
        if (outcome.next() != null) {
            String separator = outcome.selfQuery().isEmpty() ? "" : "&";
            bundle.addLink().setRelation("next").setUrl(base + separator + "_count=" + outcome.count()
                    + "&" + outcome.next());
        }
        for (StoredResource match : session.load(outcome.matches())) {
            bundle.addEntry().setResource(parse(match)).getSearch().setMode(SearchEntryMode.MATCH);
        }
        for (StoredResource included : session.load(outcome.included())) {
            bundle.addEntry().setResource(parse(included)).getSearch().setMode(SearchEntryMode.INCLUDE);
        }
        return bundle;
    }

    private int pageSize(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return settings.defaultPageSize();
        }
        String value = requested.get(requested.size() - 1);
        if (!value.matches("[0-9]{1,9}")) {
            throw FhirException.badRequest(ErrorCode.INVALID_SEARCH_PARAMETER,
                    "_count must be a whole number, not '" + value + "'");
        }
        return Math.min(Integer.parseInt(value), settings.maxPageSize());
    }

    private static Resource parse(StoredResource stored) {
        return ExactJson.parse(stored.json());
    }
}
