package org.charnwood.app.referrals;

import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the shipped pathways ({@code referrals/pathways/*.json}: the service's directory entry, the pathway's
 * Questionnaire and PlanDefinition) into the repository once the application is ready, in demo and production
 * alike, after the demo data (application runners finish before the ready event). Idempotent: a pathway already
 * there, in any version, is left alone, so what administrators published is never overwritten; a service that
 * exists already (the demo's) only gains the directory details it lacks (hours, eligibility, how to refer).
 */
@Component
class PathwayLoader {

    private static final Logger log = LoggerFactory.getLogger(PathwayLoader.class);
    static final String LOCATION = "classpath*:referrals/pathways/*.json";

    private final FhirRepository repository;

    PathwayLoader(FhirRepository repository) {
        this.repository = repository;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady() {
        int loaded = loadShipped();
        if (loaded > 0) {
            log.info("Loaded {} shipped referral pathways", loaded);
        }
    }

    /**
     * Loads every shipped pathway not yet present; returns how many were written. A pathway that cannot be
     * loaded is logged and skipped: the rest of the application (and the other pathways) still start.
     */
    int loadShipped() {
        int loaded = 0;
        for (Bundle bundle : shipped()) {
            try {
                if (Boolean.TRUE.equals(repository.inTransaction(session -> load(session, bundle)))) {
                    loaded++;
                }
            } catch (RuntimeException e) {
                log.warn("A shipped referral pathway could not be loaded ({}): {}", e.getClass().getSimpleName(),
                        e instanceof org.charnwood.fhir.FhirException f ? f.outcome().getIssueFirstRep().getDiagnostics()
                                : e.getMessage());
            }
        }
        return loaded;
    }

    static List<Bundle> shipped() {
        try {
            List<Bundle> bundles = new ArrayList<>();
            var parser = FhirContexts.r4().newJsonParser();
            for (var file : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
                try (InputStream in = file.getInputStream()) {
                    bundles.add(parser.parseResource(Bundle.class, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
            return bundles;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the shipped referral pathways failed", e);
        }
    }

    private static Boolean load(WriteSession session, Bundle bundle) throws SQLException {
        HealthcareService service = find(bundle, HealthcareService.class);
        Questionnaire questionnaire = find(bundle, Questionnaire.class);
        PlanDefinition definition = find(bundle, PlanDefinition.class);
        String slug = PathwayDefinitions.slugOf(definition.getUrl());
        Pathways.lock(session, "pathway:" + slug);
        if (!Pathways.versions(session, slug).isEmpty()) {
            return false;
        }
        PathwayDefinitions.requireValid(definition, questionnaire);
        String serviceId = service.getIdElement().getIdPart();
        var existing = session.current("HealthcareService", serviceId);
        if (existing.isEmpty() || existing.get().deleted()) {
            session.update("HealthcareService", serviceId, service, null);
        } else {
            HealthcareService current = existing.get().parse(HealthcareService.class);
            if (addDirectoryDetails(current, service)) {
                session.update("HealthcareService", serviceId, current, null);
            }
        }
        session.update("Questionnaire", questionnaire.getIdElement().getIdPart(), questionnaire, null);
        session.update("PlanDefinition", definition.getIdElement().getIdPart(), definition, null);
        return true;
    }

    /** Adds to a service the directory details it lacks; true when anything was added. */
    static boolean addDirectoryDetails(HealthcareService current, HealthcareService shipped) {
        boolean changed = false;
        if (!current.hasExtraDetails() && shipped.hasExtraDetails()) {
            current.setExtraDetails(shipped.getExtraDetails());
            changed = true;
        }
        if (!current.hasEligibility() && shipped.hasEligibility()) {
            current.setEligibility(shipped.getEligibility());
            changed = true;
        }
        if (!current.hasAvailableTime() && shipped.hasAvailableTime()) {
            current.setAvailableTime(shipped.getAvailableTime());
            changed = true;
        }
        if (!current.hasReferralMethod() && shipped.hasReferralMethod()) {
            current.setReferralMethod(shipped.getReferralMethod());
            changed = true;
        }
        if (!current.hasTelecom() && shipped.hasTelecom()) {
            current.setTelecom(shipped.getTelecom());
            changed = true;
        }
        if (current.getExtensionByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED) == null
                && shipped.getExtensionByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED) != null) {
            current.addExtension(shipped.getExtensionByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED).copy());
            changed = true;
        }
        return changed;
    }

    private static <T extends Resource> T find(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("a shipped pathway has no " + type.getSimpleName()));
    }
}
