package org.charnwood.app.security.policy;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Activity;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.charnwood.app.security.Activity.*;

/** One test per role: the table as information governance would read it. */
class RoleActivitiesTests {

    @Test
    void cliniciansMayDoEverythingClinicalIncludingVeryRestrictedAndBreakGlass() {
        assertThat(RoleActivities.of(AccessRole.CLINICIAN)).containsExactlyInAnyOrder(VIEW_DEMOGRAPHICS,
                VIEW_CLINICAL_RECORD, WRITE_CLINICAL_RECORD, VIEW_RESTRICTED, VIEW_VERY_RESTRICTED,
                WRITE_ADMINISTRATION, BREAK_GLASS, TRIAGE, RESPOND_TO_ESCALATION);
    }

    @Test
    void registeredNursesSeeRestrictedButNotVeryRestricted() {
        assertThat(RoleActivities.of(AccessRole.REGISTERED_NURSE)).contains(VIEW_CLINICAL_RECORD,
                WRITE_CLINICAL_RECORD, VIEW_RESTRICTED, BREAK_GLASS, TRIAGE).doesNotContain(VIEW_VERY_RESTRICTED);
    }

    @Test
    void healthProfessionalsAreAsRegisteredNurses() {
        assertThat(RoleActivities.of(AccessRole.HEALTH_PROFESSIONAL))
                .isEqualTo(RoleActivities.of(AccessRole.REGISTERED_NURSE));
    }

    @Test
    void nurseManagersAreAsRegisteredNurses() {
        assertThat(RoleActivities.of(AccessRole.NURSE_MANAGER))
                .isEqualTo(RoleActivities.of(AccessRole.REGISTERED_NURSE));
    }

    @Test
    void healthCareAssistantsRecordCareButSeeNothingSensitiveAndCannotBreakGlass() {
        assertThat(RoleActivities.of(AccessRole.HEALTH_CARE_ASSISTANT)).containsExactlyInAnyOrder(
                VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD, WRITE_CLINICAL_RECORD);
    }

    @Test
    void onlyCliniciansAndNursesTriageReferrals() {
        for (AccessRole role : AccessRole.values()) {
            boolean triages = Set.of(AccessRole.CLINICIAN, AccessRole.REGISTERED_NURSE,
                    AccessRole.HEALTH_PROFESSIONAL, AccessRole.NURSE_MANAGER).contains(role);
            assertThat(RoleActivities.of(role).contains(TRIAGE)).as(role.name()).isEqualTo(triages);
        }
    }

    @Test
    void onlyRegisteredCliniciansAnswerEscalations() {
        for (AccessRole role : AccessRole.values()) {
            boolean answers = Set.of(AccessRole.CLINICIAN, AccessRole.REGISTERED_NURSE,
                    AccessRole.HEALTH_PROFESSIONAL, AccessRole.NURSE_MANAGER).contains(role);
            assertThat(RoleActivities.of(role).contains(RESPOND_TO_ESCALATION)).as(role.name()).isEqualTo(answers);
        }
    }

    @Test
    void bookingStaffSeeAndChangeDemographicsAndBookingsOnly() {
        assertThat(RoleActivities.of(AccessRole.ADMIN_BOOKING)).containsExactlyInAnyOrder(VIEW_DEMOGRAPHICS,
                WRITE_ADMINISTRATION);
    }

    @Test
    void analystsHaveNoDirectAccessToRecords() {
        assertThat(RoleActivities.of(AccessRole.ANALYST)).containsExactly(ANALYTICS);
    }

    @Test
    void informationGovernanceReviewsTheAuditTrailOnly() {
        assertThat(RoleActivities.of(AccessRole.INFORMATION_GOVERNANCE)).containsExactly(AUDIT_REVIEW);
    }

    @Test
    void systemAdministratorsHaveNoPatientDataByDefault() {
        assertThat(RoleActivities.of(AccessRole.SYSTEM_ADMINISTRATOR)).containsExactly(SYSTEM_ADMINISTRATION);
    }

    @Test
    void severalRolesPermitWhatAnyOfThemPermits() {
        assertThat(RoleActivities.of(Set.of(AccessRole.ANALYST, AccessRole.ADMIN_BOOKING)))
                .containsExactlyInAnyOrder(ANALYTICS, VIEW_DEMOGRAPHICS, WRITE_ADMINISTRATION);
    }

    @Test
    void everyRoleIsInTheTable() {
        for (AccessRole role : AccessRole.values()) {
            assertThat(RoleActivities.of(role)).as(role.name()).isNotEmpty();
        }
    }

    @Test
    void staffWithoutClinicalAccessSeeNoClinicalTypes() {
        Set<String> types = FhirAccessPolicy.visibleTypes(EnumSet.of(Activity.VIEW_DEMOGRAPHICS));
        assertThat(types).contains("Patient", "Appointment", "Practitioner").doesNotContain("Observation",
                "Condition");
        assertThat(FhirAccessPolicy.visibleTypes(EnumSet.of(Activity.SYSTEM_ADMINISTRATION)))
                .contains("Practitioner", "Organization").doesNotContain("Patient");
        assertThat(FhirAccessPolicy.visibleTypes(EnumSet.of(Activity.ANALYTICS))).isEmpty();
    }

    @Test
    void labelsAreHiddenUnlessARolePermitsThem() {
        assertThat(FhirAccessPolicy.hiddenFor(RoleActivities.of(AccessRole.CLINICIAN))).isEmpty();
        assertThat(FhirAccessPolicy.hiddenFor(RoleActivities.of(AccessRole.REGISTERED_NURSE)))
                .containsExactlyInAnyOrderElementsOf(SecurityLabels.VERY_RESTRICTED);
        assertThat(FhirAccessPolicy.hiddenFor(RoleActivities.of(AccessRole.HEALTH_CARE_ASSISTANT)))
                .containsAll(SecurityLabels.RESTRICTED).containsAll(SecurityLabels.VERY_RESTRICTED)
                .containsAll(SecurityLabels.SENSITIVE_CATEGORIES);
    }
}
