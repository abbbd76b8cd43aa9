package org.charnwood.scheduling.roster;

import java.util.Objects;

/**
 * A member of the ward or team, as a FHIR PractitionerRole gives them.
 *
 * @param registered              a registered nurse (NMC), as opposed to a healthcare assistant
 * @param contractedHoursPerWeek  e.g. 37.5 full time
 */
public record RosterStaff(String id, String name, int band, boolean registered, double contractedHoursPerWeek) {

    public RosterStaff {
        Objects.requireNonNull(id, "id");
    }

    /** Band 6 or above and registered: may lead a shift. */
    public boolean senior() {
        return registered && band >= 6;
    }
}
