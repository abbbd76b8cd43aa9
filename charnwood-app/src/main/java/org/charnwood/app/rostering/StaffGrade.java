package org.charnwood.app.rostering;

import java.util.Locale;

/**
 * Agenda for Change band and NMC registration as the roster needs them. Read from {@code rostering.staff_member}
 * when the trust has recorded them; otherwise inferred from the PractitionerRole's job title, which is all the
 * demo data (and many ESR feeds) carry.
 */
record StaffGrade(int band, boolean registered) {

    boolean senior() {
        return registered && band >= 6;
    }

    static StaffGrade fromJobTitle(String title) {
        String t = title == null ? "" : title.toLowerCase(Locale.ROOT);
        if (t.contains("advanced clinical practitioner")) {
            return new StaffGrade(8, true);
        }
        if (t.contains("sister") || t.contains("charge nurse") || t.contains("ward manager")) {
            return new StaffGrade(7, true);
        }
        if (t.contains("specialist") || t.contains("district nurse")) {
            return new StaffGrade(6, true);
        }
        if (t.contains("nurse")) {
            return new StaffGrade(5, true);
        }
        if (t.contains("associate")) {
            return new StaffGrade(4, false);
        }
        return new StaffGrade(3, false);
    }
}
