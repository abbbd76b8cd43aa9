package org.charnwood.app.rostering;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StaffGradeTests {

    @Test
    void wardSistersAndSpecialistsMayLeadAShiftButStaffNursesAndAssistantsMayNot() {
        assertThat(StaffGrade.fromJobTitle("Ward Sister")).isEqualTo(new StaffGrade(7, true));
        assertThat(StaffGrade.fromJobTitle("Clinical Nurse Specialist").senior()).isTrue();
        assertThat(StaffGrade.fromJobTitle("Community Staff Nurse")).isEqualTo(new StaffGrade(5, true));
        assertThat(StaffGrade.fromJobTitle("Community Staff Nurse").senior()).isFalse();
        assertThat(StaffGrade.fromJobTitle("Healthcare Assistant")).isEqualTo(new StaffGrade(3, false));
        assertThat(StaffGrade.fromJobTitle(null).senior()).isFalse();
    }
}
