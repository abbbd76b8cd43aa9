package org.charnwood.app.terminology;

import org.charnwood.app.terminology.serving.SampleReleases;
import org.charnwood.terminology.dmd.DmdProducts;
import org.charnwood.terminology.dmd.DmdRelease;
import org.charnwood.terminology.dmd.DmdReleaseFiles;
import org.charnwood.terminology.snomed.SnomedMaps;
import org.charnwood.terminology.snomed.SnomedRelease;
import org.charnwood.terminology.snomed.SnomedReleaseReader;
import org.charnwood.terminology.snomed.TerminologyRelease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds the served SNOMED CT and dm+d releases. Built at start-up (after Flyway, since it needs the
 * {@code snomed} and {@code dmd} schemas): loads the bundled samples into an empty database when the settings
 * allow, then reads what is served into memory. {@link #reload()} reads again after a new release was loaded
 * and swaps both at once (it runs by itself once a minute when the database serves another release, e.g. after
 * {@code ./charnwood terminology load}); requests already running keep the releases they started with.
 */
// Flyway must have migrated first: the snomed and dmd schemas are read here.
@Component
@DependsOnDatabaseInitialization
public class TerminologyServer {

    private static final Logger log = LoggerFactory.getLogger(TerminologyServer.class);

    private final DataSource dataSource;
    private final AtomicReference<ServedTerminology> served = new AtomicReference<>();
    private volatile Integer snomedReleaseId;
    private volatile Integer dmdReleaseId;

    TerminologyServer(DataSource dataSource, TerminologySettings settings) {
        this.dataSource = dataSource;
        if (settings.loadSamples()) {
            new SampleReleases(dataSource).loadWhereNothingIsServed();
        }
        reload();
    }

    /** Map refsets (Read v2, CTV3 …) of the served SNOMED CT release, read from the database on demand. */
    public SnomedMaps maps() {
        return new SnomedMaps(dataSource);
    }

    /** The releases served now. */
    public ServedTerminology current() {
        return served.get();
    }

    /**
     * Notices a release loaded by the command-line loaders (they switch the database's served release in one
     * transaction) and serves it without a restart. Checking is two one-row queries.
     */
    @Scheduled(fixedDelayString = "${charnwood.terminology.refresh-interval:PT1M}",
            initialDelayString = "${charnwood.terminology.refresh-interval:PT1M}")
    void reloadWhenAnotherReleaseIsServed() {
        try {
            Integer snomedNow = new SnomedReleaseReader(dataSource).current().map(TerminologyRelease::releaseId)
                    .orElse(null);
            Integer dmdNow = DmdRelease.serving(dataSource).map(DmdRelease::id).orElse(null);
            if (!Objects.equals(snomedNow, snomedReleaseId) || !Objects.equals(dmdNow, dmdReleaseId)) {
                log.info("A new terminology release is served in the database: reading it");
                reload();
            }
        } catch (RuntimeException e) {
            log.warn("Checking for a new terminology release failed; the current one stays served", e);
        }
    }

    /** Reads the served releases from the database again and swaps them in. */
    public synchronized ServedTerminology reload() {
        SnomedReleaseReader reader = new SnomedReleaseReader(dataSource);
        SnomedRelease snomed = reader.current().isPresent() ? reader.read() : null;
        boolean snomedComplete = snomed != null && snomed.release().isComplete();
        DmdProducts dmd = DmdRelease.serving(dataSource).isPresent() ? DmdProducts.load(dataSource) : DmdProducts.empty();
        boolean dmdComplete = DmdRelease.serving(dataSource)
                .map(r -> !DmdReleaseFiles.sample().source().equals(r.source())).orElse(false);
        ServedTerminology now = new ServedTerminology(snomed, snomedComplete, dmd, dmdComplete);
        served.set(now);
        snomedReleaseId = snomed == null ? null : snomed.release().releaseId();
        dmdReleaseId = DmdRelease.serving(dataSource).map(DmdRelease::id).orElse(null);
        log.info("Terminology served: SNOMED CT {} ({}), dm+d {} ({})",
                snomed == null ? "none" : snomed.release().label(), snomedComplete ? "complete" : "partial",
                dmd.release() == null ? "none" : dmd.release(), dmdComplete ? "complete" : "partial");
        return now;
    }
}
