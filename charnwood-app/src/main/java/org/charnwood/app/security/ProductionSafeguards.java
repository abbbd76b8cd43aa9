package org.charnwood.app.security;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

import java.util.Arrays;

/**
 * Production's safeguards, which hold under every profile but the three that exist to relax them: {@code dev} (a
 * developer's machine), {@code demo} (synthetic data for a newcomer) and {@code bench} (the benchmark). So a
 * misspelt profile ({@code prodution}) or a trust's own ({@code lpt}) gets production's rules, not a server that
 * takes its token issuer from the Host header. The application's base settings are the safe ones and those three
 * profiles relax them explicitly; this check, run once the settings are read and before anything starts (no
 * database, no web server), refuses a start that would run without a safeguard, saying what to set.
 */
public final class ProductionSafeguards implements EnvironmentPostProcessor, Ordered {

    /** The profiles that may relax a safeguard; never together with production. */
    private static final String RELAXED = "dev | demo | bench";

    /** Whether production's safeguards apply: under production, or under no profile that may relax them. */
    public static boolean enforced(Environment environment) {
        return environment.matchesProfiles("production") || !environment.matchesProfiles(RELAXED);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment);
    }

    /** Throws, saying what to change, when these settings would run without one of production's safeguards. */
    public static void check(Environment environment) {
        if (environment.matchesProfiles("production") && environment.matchesProfiles(RELAXED)) {
            throw refused("The production profile cannot be combined with dev, demo or bench (active profiles: "
                    + profiles(environment) + "): they switch its safeguards off");
        }
        partialDatabaseSettings(environment);
        untrustedForwarding(environment);
        if (!enforced(environment)) {
            return;
        }
        String which = environment.matchesProfiles("production") ? "The production profile"
                : "Profile " + profiles(environment) + " (not dev, demo or bench, so production's rules apply)";
        if (blank(environment, "charnwood.security.issuer")) {
            throw refused(which + " needs the public URL of this server: set CHARNWOOD_ISSUER (for example "
                    + "https://ehr.example.nhs.uk)");
        }
        if (blank(environment, "charnwood.security.signing-key")) {
            throw refused(which + " needs the token signing key: set CHARNWOOD_SIGNING_KEY to a PEM PKCS#8 RSA "
                    + "private key of at least 2048 bits");
        }
        if (environment.getProperty("charnwood.demo.enabled", Boolean.class, false)) {
            throw refused(which + " never loads demo data: charnwood.demo.enabled must be false");
        }
        if (environment.getProperty("charnwood.terminology.load-samples", Boolean.class, false)) {
            throw refused(which + " never serves the sample terminology: charnwood.terminology.load-samples must "
                    + "be false (load the trust's releases with ./charnwood terminology load)");
        }
        if (blank(environment, "spring.datasource.url")) {
            // The embedded server is for a single machine: trust authentication, a superuser, binaries unpacked
            // in a shared temporary folder.
            throw refused(which + " needs an external PostgreSQL server: set SPRING_DATASOURCE_URL (for example "
                    + "jdbc:postgresql://db.example.nhs.uk:5432/charnwood), SPRING_DATASOURCE_USERNAME and "
                    + "SPRING_DATASOURCE_PASSWORD");
        }
    }

    /**
     * In every profile: a database user or password given without the URL. Without the URL the embedded server is
     * started and the rest ignored, so a misspelt or forgotten SPRING_DATASOURCE_URL beside the other two would
     * quietly keep the record in a local folder instead of the trust's database.
     */
    private static void partialDatabaseSettings(Environment environment) {
        if (!blank(environment, "spring.datasource.url")) {
            return;
        }
        for (String property : new String[]{"spring.datasource.username", "spring.datasource.password"}) {
            if (!blank(environment, property)) {
                throw refused(property + " (" + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                        + ") is set but spring.datasource.url (SPRING_DATASOURCE_URL) is not, so the embedded database "
                        + "would be used and the setting ignored: set SPRING_DATASOURCE_URL to the external server "
                        + "(for example jdbc:postgresql://db.example.nhs.uk:5432/charnwood), or leave out the other "
                        + "datasource settings to run the embedded database");
            }
        }
    }

    /**
     * In every profile: X-Forwarded-* headers believed from callers nobody named as proxies. With {@code native} and
     * no {@code internal-proxies}, Tomcat trusts every private and loopback address as a proxy, so any caller on a
     * private network could write the client address that rate limits, lockouts and the audit trail record.
     * {@code framework} believes the headers from every caller and has no list of proxies at all.
     */
    private static void untrustedForwarding(Environment environment) {
        String strategy = environment.getProperty("server.forward-headers-strategy", "none").trim();
        if (strategy.equalsIgnoreCase("framework")) {
            throw refused("server.forward-headers-strategy is framework, which believes X-Forwarded-* headers from "
                    + "any caller: set it to native and set server.tomcat.remoteip.internal-proxies "
                    + "(SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES) to a regular expression matching only your proxies' "
                    + "addresses (for example 10\\.20\\.0\\.\\d+)");
        }
        if (strategy.equalsIgnoreCase("native") && blank(environment, "server.tomcat.remoteip.internal-proxies")) {
            throw refused("server.forward-headers-strategy is native but server.tomcat.remoteip.internal-proxies "
                    + "(SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES) is not set, so every private and loopback address "
                    + "would be trusted as a proxy and any caller on a private network could choose its own address: "
                    + "set it to a regular expression matching only your proxies' addresses (for example "
                    + "10\\.20\\.0\\.\\d+)");
        }
    }

    private static boolean blank(Environment environment, String property) {
        String value = environment.getProperty(property);
        return value == null || value.isBlank();
    }

    private static String profiles(Environment environment) {
        String[] active = environment.getActiveProfiles();
        return Arrays.toString(active.length > 0 ? active : environment.getDefaultProfiles());
    }

    private static IllegalStateException refused(String reason) {
        return new IllegalStateException(reason + ": refusing to start");
    }

    @Override
    public int getOrder() {
        // After the settings files and profiles have been read.
        return Ordered.LOWEST_PRECEDENCE;
    }
}
