package org.charnwood.app.security.accounts;

import org.charnwood.demo.BundleWriter;
import org.charnwood.demo.TrustShape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's booking office stands in with a practitioner of its own on a team, so that it has a team's patients to
 * book and see (decision 22), and is not the demo healthcare assistant, whose trail would otherwise be shared.
 */
class DemoAccountsTests {

    @Test
    void theBookingOfficeHasAPractitionerOfItsOwnOnATeam() {
        TrustShape trust = BundleWriter.forStandardTrust().trust();
        String hca = DemoAccounts.practitionerFor(trust, "R8008");
        String booking = DemoAccounts.practitionerFor(trust, "R8008#1");

        assertThat(booking).startsWith("Practitioner/").isNotEqualTo(hca);
        assertThat(trust.teams().stream().flatMap(t -> t.staff().stream())
                .anyMatch(m -> booking.equals("Practitioner/" + m.practitionerId()))).isTrue();
        assertThat(DemoAccounts.practitionerFor(trust, "R8008#100000")).isNull();
    }
}
