package org.charnwood.app.operations;

import org.charnwood.app.CharnwoodApplication;
import org.charnwood.app.testing.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.util.FileSystemUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code java -jar} with no profile chosen, as an operator who set only {@code CHARNWOOD_PROFILE} (read by
 * {@code ./charnwood} alone) would run it: the server is production, so it refuses to start without its public URL
 * rather than taking the token issuer from whatever Host header a caller sends.
 */
class NoProfileIsProductionIntegrationTests {

    @Test
    void withNoProfileTheServerRefusesToStartWithoutItsPublicUrl() throws Exception {
        Path dataDir = Files.createTempDirectory("charnwood-no-profile-");
        try {
            assertThatThrownBy(() -> new SpringApplicationBuilder(CharnwoodApplication.class).run(
                    "--server.port=0", "--charnwood.data-dir=" + dataDir, "--charnwood.security.issuer=",
                    "--charnwood.security.signing-key=" + TestKeys.relyingPartyPem()))
                    .hasMessage("The production profile needs the public URL of this server: set "
                            + "CHARNWOOD_ISSUER (for example https://ehr.example.nhs.uk): refusing to start");
            // The refused start also stopped the embedded database it had started.
            assertThat(dataDir.resolve("postgres").resolve("postmaster.pid")).doesNotExist();
        } finally {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }
}
