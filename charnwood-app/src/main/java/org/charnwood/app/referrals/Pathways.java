package org.charnwood.app.referrals;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteSession;
import org.charnwood.fhir.search.SearchRequest;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.stereotype.Component;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pathways in the repository: the current version of each, any version by number, and publishing a new
 * version (stored beside the old ones, which are retired in the same transaction). Reads are the server's own:
 * pathways are reference data every referrer needs, whoever they are.
 */
@Component
class Pathways {

    private final FhirRepository repository;

    Pathways(FhirRepository repository) {
        this.repository = repository;
    }

    /** The active version of every pathway, in title order. */
    List<Pathway> current() {
        return search("PlanDefinition", PlanDefinition.class, "status", "active", "_count", "500").stream()
                .filter(PathwayDefinitions::isPathway)
                .map(this::withQuestionnaire).flatMap(Optional::stream)
                .sorted(Comparator.comparing(Pathway::title)).toList();
    }

    Optional<Pathway> current(String slug) {
        return search("PlanDefinition", PlanDefinition.class, "url", ReferralCodes.PATHWAY_URL_PREFIX + slug,
                "status", "active").stream().findFirst().flatMap(this::withQuestionnaire);
    }

    /** The active pathway of a service ({@code HealthcareService/<slug>}). */
    Optional<Pathway> forService(String service) {
        return current().stream().filter(p -> p.service().equals(service)).findFirst();
    }

    Optional<Pathway> version(String url, String version) {
        return search("PlanDefinition", PlanDefinition.class, "url", url, "version", version).stream().findFirst()
                .flatMap(this::withQuestionnaire);
    }

    /** Every version of a pathway, newest first. */
    List<PlanDefinition> versions(String slug) {
        return search("PlanDefinition", PlanDefinition.class, "url", ReferralCodes.PATHWAY_URL_PREFIX + slug,
                "_count", "200").stream()
                .sorted(Comparator.comparing((PlanDefinition d) -> Integer.parseInt(d.getVersion())).reversed())
                .toList();
    }

    Optional<Questionnaire> questionnaire(String canonical) {
        String[] parts = canonical.split("\\|", 2);
        if (parts.length < 2) {
            return Optional.empty();
        }
        return search("Questionnaire", Questionnaire.class, "url", parts[0], "version", parts[1]).stream().findFirst();
    }

    private Optional<Pathway> withQuestionnaire(PlanDefinition definition) {
        if (!PathwayDefinitions.problems(definition).isEmpty()) {
            return Optional.empty();
        }
        String canonical = definition.getActionFirstRep().getDefinitionCanonicalType().getValue();
        return questionnaire(canonical).map(q -> PathwayDefinitions.read(definition, q));
    }

    /**
     * Publishes the definition and questionnaire as the next version of the pathway named by the definition's
     * url: both get the next version number and their ids, the pathway becomes the active version and every
     * other version is retired. Everything is checked first; a refusal writes nothing.
     */
    Pathway publish(PlanDefinition definition, Questionnaire questionnaire) {
        if (!definition.hasUrl() || !PathwayDefinitions.isPathway(definition)) {
            throw FhirException.unprocessable(List.of(PathwayDefinitions.error("A pathway's url is "
                    + ReferralCodes.PATHWAY_URL_PREFIX + "<slug>", "PlanDefinition.url")));
        }
        String slug = PathwayDefinitions.slugOf(definition.getUrl());
        return repository.inTransaction(session -> {
            // One publisher at a time per pathway, so two cannot both become version n+1.
            lock(session, "pathway:" + slug);
            List<PlanDefinition> existing = versions(session, slug);
            int next = existing.stream().mapToInt(d -> Integer.parseInt(d.getVersion())).max().orElse(0) + 1;
            String version = Integer.toString(next);
            definition.setId(slug + "-v" + version);
            definition.setVersion(version);
            definition.setStatus(PublicationStatus.ACTIVE);
            definition.setDate(new java.util.Date());
            questionnaire.setId(slug + "-v" + version);
            questionnaire.setUrl(ReferralCodes.QUESTIONNAIRE_URL_PREFIX + slug);
            questionnaire.setVersion(version);
            questionnaire.setStatus(PublicationStatus.ACTIVE);
            definition.getActionFirstRep().setDefinition(new org.hl7.fhir.r4.model.CanonicalType(
                    questionnaire.getUrl() + "|" + version));
            PathwayDefinitions.requireValid(definition, questionnaire);
            session.update("Questionnaire", questionnaire.getIdElement().getIdPart(), questionnaire, null);
            session.update("PlanDefinition", definition.getIdElement().getIdPart(), definition, null);
            retireOthers(session, existing, definition.getIdElement().getIdPart());
            return PathwayDefinitions.read(definition, questionnaire);
        });
    }

    /** Retires every active version but the one kept. */
    static void retireOthers(WriteSession session, List<PlanDefinition> versions, String keep) throws SQLException {
        for (PlanDefinition other : versions) {
            if (other.getStatus() == PublicationStatus.ACTIVE && !other.getIdElement().getIdPart().equals(keep)) {
                other.setStatus(PublicationStatus.RETIRED);
                session.update("PlanDefinition", other.getIdElement().getIdPart(), other, null);
            }
        }
    }

    static List<PlanDefinition> versions(WriteSession session, String slug) throws SQLException {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("url", List.of(ReferralCodes.PATHWAY_URL_PREFIX + slug));
        parameters.put("_count", List.of("200"));
        var outcome = session.search(new SearchRequest("PlanDefinition", parameters, false));
        return session.load(outcome.matches()).stream().filter(s -> !s.deleted())
                .map(s -> s.parse(PlanDefinition.class)).toList();
    }

    static void lock(WriteSession session, String key) throws SQLException {
        session.lock(key);
    }

    private <T extends org.hl7.fhir.r4.model.Resource> List<T> search(String type, Class<T> model, String... nameValues) {
        return repository.search(SearchRequest.of(type, nameValues)).matches().stream()
                .filter(s -> !s.deleted()).map(s -> s.parse(model)).toList();
    }

    static FhirException notFound(String what) {
        return FhirException.of(404, ErrorCode.PATHWAY_NOT_FOUND, IssueType.NOTFOUND, what);
    }
}
