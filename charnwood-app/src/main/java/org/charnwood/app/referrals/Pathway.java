package org.charnwood.app.referrals;

import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;

import java.util.List;

/**
 * One version of a referral pathway, read from its PlanDefinition and Questionnaire.
 *
 * @param slug          the pathway's slug, the last segment of its URL (the service's slug for shipped pathways)
 * @param version       "1", "2", ...
 * @param service       the service referred to, {@code HealthcareService/<slug>}
 * @param serviceName   the service's name as the pathway gives it
 * @param selfReferral  whether people may refer themselves
 * @param priorities    the urgency levels the service takes, the first being the default
 * @param rules         acceptance and exclusion rules
 * @param targets       target times
 */
record Pathway(String slug, String version, String service, String serviceName, boolean selfReferral,
               List<String> priorities, List<PathwayRule> rules, List<TargetTime> targets,
               PlanDefinition definition, Questionnaire questionnaire) {

    public String url() {
        return definition.getUrl();
    }

    /** The canonical with version a referral made under this pathway names. */
    public String canonical() {
        return url() + "|" + version;
    }

    public String questionnaireCanonical() {
        return questionnaire.getUrl() + "|" + questionnaire.getVersion();
    }

    public String serviceSlug() {
        return service.substring(service.indexOf('/') + 1);
    }

    public String title() {
        return serviceName;
    }
}
