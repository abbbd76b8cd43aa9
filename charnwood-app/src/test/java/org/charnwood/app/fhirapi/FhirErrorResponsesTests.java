package org.charnwood.app.fhirapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What a server error on the FHIR endpoint leaves in the log: enough to find the fault, no patient data. */
@ExtendWith(OutputCaptureExtension.class)
class FhirErrorResponsesTests {

    @Test
    void aServerErrorIsLoggedByTypeAndStackWithoutTheMessagesOfItsCauses(CapturedOutput output) {
        String name = "Quartermaine-Zebedee";
        SQLException database = new SQLException("ERROR: value too long; Failing row contains (p1, " + name + ")");
        IllegalStateException failure = new IllegalStateException("could not store Patient " + name, database);

        var response = new FhirErrorResponses().failed(failure, new MockHttpServletRequest("POST", "/fhir/Patient"));

        String body = new String(response.getBody(), StandardCharsets.UTF_8);
        Matcher incident = Pattern.compile("incident ([0-9a-f-]{36})").matcher(body);
        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(incident.find()).as(body).isTrue();
        assertThat(output.getAll()).contains("incident=" + incident.group(1), IllegalStateException.class.getName(),
                SQLException.class.getName(), "at " + FhirErrorResponsesTests.class.getName())
                .doesNotContain(name);
    }
}
