package org.charnwood.app.security.policy;

import org.charnwood.app.security.AccessPolicy;
import org.charnwood.app.security.breakglass.BreakGlassGrants;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.search.SearchParameterRegistry;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;

/** Builds the access policy and what it reads. */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

    /** The canonical URL of the search parameter relationships are found through. */
    static final String EPISODE_TEAM = "https://charnwood.nhs.example/fhir/SearchParameter/EpisodeOfCare-team";

    /** The canonical URL of the search parameter a care manager named by their role is found through. */
    static final String EPISODE_CARE_MANAGER_ROLE =
            "https://charnwood.nhs.example/fhir/SearchParameter/EpisodeOfCare-care-manager-role";

    @Bean
    CareRelationships careRelationships(FhirRepository repository, SearchParameterRegistry registry, Clock clock,
                                        AccessSettings settings) {
        registerEpisodeTeam(registry);
        registerEpisodeCareManagerRole(registry);
        return new CareRelationships(repository, clock, settings.relationshipCache(), settings.appointmentBefore(),
                settings.appointmentAfter());
    }

    @Bean
    ProxyConsents proxyConsents(FhirRepository repository, Clock clock) {
        return new ProxyConsents(repository, clock);
    }

    @Bean
    BreakGlassGrants breakGlassGrants(JdbcTemplate jdbc) {
        return new BreakGlassGrants(jdbc);
    }

    @Bean
    AccessPolicy accessPolicy(FhirRepository repository, CareRelationships relationships, ProxyConsents consents,
                              BreakGlassGrants grants, Clock clock, org.springframework.core.env.Environment environment) {
        if (org.charnwood.app.security.BenchMode.policyOff(environment)) {
            return new UnrestrictedBenchPolicy();
        }
        return new FhirAccessPolicy(repository, relationships, consents, grants, clock);
    }

    /**
     * R4 has no search parameter for {@code EpisodeOfCare.team}, the caseload link of a team: it is added so
     * the index holds it. Registered before any write is served; episodes stored before it was (by an older
     * version) are indexed for it when next written.
     */
    private static void registerEpisodeTeam(SearchParameterRegistry registry) {
        registerEpisodeReference(registry, EPISODE_TEAM, "team", "The CareTeams holding the episode (its caseload)",
                "EpisodeOfCare.team", "CareTeam");
    }

    /**
     * R4's {@code care-manager} indexes {@code EpisodeOfCare.careManager} only where it is a Practitioner, though the
     * element may name a PractitionerRole, as a trust whose staff work through their roles writes it: this one
     * indexes those, so a care manager named by their role holds the episode's relationship too. Episodes stored
     * before it was registered are indexed for it when next written.
     */
    private static void registerEpisodeCareManagerRole(SearchParameterRegistry registry) {
        registerEpisodeReference(registry, EPISODE_CARE_MANAGER_ROLE, "care-manager-role",
                "The PractitionerRole managing the episode's care",
                "EpisodeOfCare.careManager.where(resolve() is PractitionerRole)", "PractitionerRole");
    }

    /** A reference search parameter of EpisodeOfCare that relationships are found through, unless already there. */
    private static void registerEpisodeReference(SearchParameterRegistry registry, String url, String code,
                                                 String description, String expression, String target) {
        if (registry.find("EpisodeOfCare", code).isPresent()) {
            return;
        }
        SearchParameter sp = new SearchParameter();
        sp.setUrl(url);
        sp.setName(code);
        sp.setStatus(Enumerations.PublicationStatus.ACTIVE);
        sp.setDescription(description);
        sp.setCode(code);
        sp.addBase("EpisodeOfCare");
        sp.setType(Enumerations.SearchParamType.REFERENCE);
        sp.setExpression(expression);
        sp.addTarget(target);
        registry.register(sp);
    }
}
