package org.charnwood.app.operations;

import org.charnwood.app.CharnwoodApplication;
import org.charnwood.app.testing.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.util.FileSystemUtils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Starts of {@code java -jar} that would run without one of production's safeguards: each is refused with a message
 * saying what to set, and leaves nothing behind (no generated signing key, no embedded database).
 */
class ProductionSafeguardsIntegrationTests {

    private static final String ISSUER = "--charnwood.security.issuer=https://ehr.example.nhs.uk";
    private static final String KEY = "--charnwood.security.signing-key=" + TestKeys.relyingPartyPem();
    private static final String DATABASE = "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/charnwood";

    private Path dataDir;

    @BeforeEach
    void dataFolder() throws Exception {
        dataDir = Files.createTempDirectory("charnwood-safeguards-");
    }

    @AfterEach
    void removeDataFolder() {
        FileSystemUtils.deleteRecursively(dataDir.toFile());
    }

    @Test
    void aMisspeltProfileIsHeldToProductionsRulesNotStartedWithTheHostHeaderAsIssuer() {
        assertThat(refusal("--spring.profiles.active=prodution", "--charnwood.security.issuer="))
                .isEqualTo("Profile [prodution] (not dev, demo or bench, so production's rules apply) needs "
                        + "the public URL of this server: set CHARNWOOD_ISSUER (for example https://ehr.example.nhs.uk)"
                        + ": refusing to start");
        assertNothingLeftBehind();
    }

    @Test
    void aTrustsOwnProfileNeedsItsSigningKeyRatherThanGeneratingOne() {
        assertThat(refusal("--spring.profiles.active=lpt", ISSUER, "--charnwood.security.signing-key="))
                .contains("needs the token signing key: set CHARNWOOD_SIGNING_KEY");
        assertNothingLeftBehind();
    }

    @Test
    void productionCannotBeCombinedWithAProfileThatRelaxesIt() {
        for (String relaxed : List.of("dev", "demo", "bench")) {
            assertThat(refusal("--spring.profiles.active=production," + relaxed, ISSUER, KEY, DATABASE))
                    .isEqualTo("The production profile cannot be combined with dev, demo or bench "
                            + "(active profiles: [production, " + relaxed + "]): they switch its safeguards off: "
                            + "refusing to start");
        }
        assertNothingLeftBehind();
    }

    @Test
    void productionNeverLoadsDemoDataOrTheSampleTerminology() {
        assertThat(refusal("--spring.profiles.active=production", ISSUER, KEY, DATABASE,
                "--charnwood.demo.enabled=true"))
                .isEqualTo("The production profile never loads demo data: charnwood.demo.enabled must be "
                        + "false: refusing to start");
        assertThat(refusal("--spring.profiles.active=production", ISSUER, KEY, DATABASE,
                "--charnwood.terminology.load-samples=true"))
                .startsWith("The production profile never serves the sample terminology");
        assertNothingLeftBehind();
    }

    @Test
    void productionRefusesTheEmbeddedDatabaseAndSaysWhichSettingToGive() {
        assertThat(refusal("--spring.profiles.active=production", ISSUER, KEY))
                .startsWith("The production profile needs an external PostgreSQL server: set "
                        + "SPRING_DATASOURCE_URL");
        assertNothingLeftBehind();
    }

    @Test
    void aDatabaseUserOrPasswordWithoutItsUrlIsRefusedRatherThanRunningTheEmbeddedDatabase() {
        for (String profile : List.of("dev", "demo", "production")) {
            assertThat(refusal("--spring.profiles.active=" + profile, ISSUER, KEY,
                    "--spring.datasource.username=charnwood", "--spring.datasource.password=secret"))
                    .as(profile)
                    .startsWith("spring.datasource.username (SPRING_DATASOURCE_USERNAME) is set but "
                            + "spring.datasource.url (SPRING_DATASOURCE_URL) is not, so the embedded database would be "
                            + "used");
        }
        assertThat(refusal("--spring.profiles.active=dev", "--spring.datasource.password=secret"))
                .startsWith("spring.datasource.password (SPRING_DATASOURCE_PASSWORD) is set but");
        assertNothingLeftBehind();
    }

    @Test
    void aSigningKeyShorterThan2048BitsIsRefusedAtStart() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";

        assertThat(refusal("--spring.profiles.active=dev", "--charnwood.security.signing-key=" + pem))
                .isEqualTo("The token signing key (CHARNWOOD_SIGNING_KEY) is an RSA key of 1024 bits; "
                        + "it must be at least 2048 bits: refusing to start");
    }

    @Test
    void forwardedHeadersAreRefusedUnlessTheTrustedProxiesAreNamed() {
        for (String profile : List.of("dev", "production")) {
            assertThat(refusal("--spring.profiles.active=" + profile, ISSUER, KEY, DATABASE,
                    "--server.forward-headers-strategy=native"))
                    .as(profile)
                    .startsWith("server.forward-headers-strategy is native but server.tomcat.remoteip.internal-proxies "
                            + "(SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES) is not set")
                    .endsWith(": refusing to start");
            assertThat(refusal("--spring.profiles.active=" + profile, ISSUER, KEY, DATABASE,
                    "--server.forward-headers-strategy=native", "--server.tomcat.remoteip.internal-proxies= "))
                    .as(profile)
                    .contains("SERVER_TOMCAT_REMOTEIP_INTERNALPROXIES) is not set");
            // framework has no list of proxies: it believes the headers from every caller, named proxies or not.
            assertThat(refusal("--spring.profiles.active=" + profile, ISSUER, KEY, DATABASE,
                    "--server.forward-headers-strategy=framework",
                    "--server.tomcat.remoteip.internal-proxies=10\\.20\\.0\\.\\d+"))
                    .as(profile)
                    .startsWith("server.forward-headers-strategy is framework, which believes X-Forwarded-* headers "
                            + "from any caller: set it to native and set server.tomcat.remoteip.internal-proxies");
        }
        assertNothingLeftBehind();
    }

    /** The reason the start was refused: the message of the failure at the bottom of the chain. */
    private String refusal(String... arguments) {
        Throwable failure = catchThrowable(() -> start(arguments));
        assertThat(failure).as("the start was refused").isNotNull();
        while (failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure.getMessage();
    }

    private void start(String... arguments) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--charnwood.data-dir=" + dataDir,
                "--logging.structured.format.console="));
        all.addAll(List.of(arguments));
        new SpringApplicationBuilder(CharnwoodApplication.class).run(all.toArray(String[]::new)).close();
    }

    private void assertNothingLeftBehind() {
        assertThat(dataDir.resolve("auth").resolve("signing-key.pem")).doesNotExist();
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }
}
