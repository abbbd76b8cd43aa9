package org.charnwood.app.rostering;

import org.charnwood.app.web.FormErrors;
import org.charnwood.scheduling.roster.ShiftKind;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class StaffRequestFormTests {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 26);

    private static StaffRequestForm form(String kind, String first, String last, String shift) {
        StaffRequestForm form = new StaffRequestForm();
        form.setKind(kind);
        form.setFirstDay(first);
        form.setLastDay(last);
        form.setShiftKind(shift);
        return form;
    }

    @Test
    void acceptsAWeekOfLeaveAndDropsAnyShiftKindFromIt() {
        FormErrors errors = new FormErrors();
        StaffRequestForm.Valid valid = form("LEAVE", "7/12/2026", "13/12/2026", "NIGHT").validate(TODAY, errors);
        assertThat(errors.isEmpty()).isTrue();
        assertThat(valid.first()).isEqualTo(LocalDate.of(2026, 12, 7));
        assertThat(valid.last()).isEqualTo(LocalDate.of(2026, 12, 13));
        assertThat(valid.shiftKind()).isNull();
    }

    @Test
    void aPreferenceWithoutALastDayIsForOneDay() {
        StaffRequestForm.Valid valid = form("AVOID", "1/12/2026", "", "NIGHT").validate(TODAY, new FormErrors());
        assertThat(valid.last()).isEqualTo(valid.first());
        assertThat(valid.shiftKind()).isEqualTo(ShiftKind.NIGHT);
    }

    @Test
    void refusesImpossibleDatesPastDatesAndALastDayBeforeTheFirst() {
        FormErrors impossible = new FormErrors();
        assertThat(form("LEAVE", "31/2/2027", null, null).validate(TODAY, impossible)).isNull();
        assertThat(impossible.message("firstDay")).contains("real date");

        FormErrors past = new FormErrors();
        assertThat(form("LEAVE", "1/11/2026", null, null).validate(TODAY, past)).isNull();
        assertThat(past.message("firstDay")).contains("today or in the future");

        FormErrors backwards = new FormErrors();
        assertThat(form("WANT", "10/12/2026", "9/12/2026", "ANY").validate(TODAY, backwards)).isNull();
        assertThat(backwards.message("lastDay")).contains("after the first day");
    }

    @Test
    void refusesAMissingKindAndARequestLongerThanSixWeeks() {
        FormErrors errors = new FormErrors();
        assertThat(form(null, "1/12/2026", "1/2/2027", null).validate(TODAY, errors)).isNull();
        assertThat(errors.has("kind")).isTrue();
        assertThat(errors.message("lastDay")).contains("at most 6 weeks");
    }
}
