package org.charnwood.app.repository;

import org.charnwood.fhir.RepositorySettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** The {@code charnwood.fhir.*} settings. */
@ConfigurationProperties("charnwood.fhir")
public record FhirSettings(DataSize maxRequestBytes, boolean refuseDanglingReferences,
                           boolean refuseDeletingReferenced, int defaultPageSize, int maxPageSize,
                           java.util.List<String> serverBaseUrls, java.util.Map<String, String> enforcedProfiles,
                           java.time.ZoneId localTimeZone) {

    public FhirSettings {
        // Dates without a time zone, stored or searched, are read in this zone (R4 search.html, "date").
        localTimeZone = localTimeZone == null ? org.charnwood.fhir.search.DateRange.DEFAULT_LOCAL_ZONE : localTimeZone;
        enforcedProfiles = enforcedProfiles == null ? java.util.Map.of() : java.util.Map.copyOf(enforcedProfiles);
    }

    public RepositorySettings repositorySettings() {
        return new RepositorySettings(refuseDanglingReferences, refuseDeletingReferenced, maxPageSize,
                defaultPageSize);
    }
}
