package org.charnwood.scheduling.roster;

import java.time.LocalDate;

/** Annual leave (or any absence) from {@code first} to {@code last} inclusive. */
public record Leave(String staffId, LocalDate first, LocalDate last) {

    public boolean covers(LocalDate date) {
        return !date.isBefore(first) && !date.isAfter(last);
    }
}
