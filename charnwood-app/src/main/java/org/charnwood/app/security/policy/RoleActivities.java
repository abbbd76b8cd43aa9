package org.charnwood.app.security.policy;

import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.Activity;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.charnwood.app.security.Activity.ANALYTICS;
import static org.charnwood.app.security.Activity.AUDIT_REVIEW;
import static org.charnwood.app.security.Activity.BREAK_GLASS;
import static org.charnwood.app.security.Activity.RESPOND_TO_ESCALATION;
import static org.charnwood.app.security.Activity.SYSTEM_ADMINISTRATION;
import static org.charnwood.app.security.Activity.TRIAGE;
import static org.charnwood.app.security.Activity.VIEW_CLINICAL_RECORD;
import static org.charnwood.app.security.Activity.VIEW_DEMOGRAPHICS;
import static org.charnwood.app.security.Activity.VIEW_RESTRICTED;
import static org.charnwood.app.security.Activity.VIEW_VERY_RESTRICTED;
import static org.charnwood.app.security.Activity.WRITE_ADMINISTRATION;
import static org.charnwood.app.security.Activity.WRITE_CLINICAL_RECORD;

/**
 * Which activities each role permits: the policy's table, kept as data so it can be read (and reviewed by
 * information governance) in one place. A person holding several roles may do what any of them permits.
 */
public final class RoleActivities {

    private static final Map<AccessRole, Set<Activity>> TABLE = new EnumMap<>(AccessRole.class);

    static {
        TABLE.put(AccessRole.CLINICIAN, EnumSet.of(VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD, WRITE_CLINICAL_RECORD,
                VIEW_RESTRICTED, VIEW_VERY_RESTRICTED, WRITE_ADMINISTRATION, BREAK_GLASS, TRIAGE,
                RESPOND_TO_ESCALATION));
        TABLE.put(AccessRole.REGISTERED_NURSE, EnumSet.of(VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD,
                WRITE_CLINICAL_RECORD, VIEW_RESTRICTED, WRITE_ADMINISTRATION, BREAK_GLASS, TRIAGE,
                RESPOND_TO_ESCALATION));
        TABLE.put(AccessRole.HEALTH_PROFESSIONAL, EnumSet.of(VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD,
                WRITE_CLINICAL_RECORD, VIEW_RESTRICTED, WRITE_ADMINISTRATION, BREAK_GLASS, TRIAGE,
                RESPOND_TO_ESCALATION));
        TABLE.put(AccessRole.NURSE_MANAGER, EnumSet.of(VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD,
                WRITE_CLINICAL_RECORD, VIEW_RESTRICTED, WRITE_ADMINISTRATION, BREAK_GLASS, TRIAGE,
                RESPOND_TO_ESCALATION));
        TABLE.put(AccessRole.HEALTH_CARE_ASSISTANT, EnumSet.of(VIEW_DEMOGRAPHICS, VIEW_CLINICAL_RECORD,
                WRITE_CLINICAL_RECORD));
        TABLE.put(AccessRole.ADMIN_BOOKING, EnumSet.of(VIEW_DEMOGRAPHICS, WRITE_ADMINISTRATION));
        TABLE.put(AccessRole.ANALYST, EnumSet.of(ANALYTICS));
        TABLE.put(AccessRole.INFORMATION_GOVERNANCE, EnumSet.of(AUDIT_REVIEW));
        TABLE.put(AccessRole.SYSTEM_ADMINISTRATOR, EnumSet.of(SYSTEM_ADMINISTRATION));
    }

    private RoleActivities() {
    }

    /** What the role permits. */
    public static Set<Activity> of(AccessRole role) {
        return Set.copyOf(TABLE.get(role));
    }

    /** What any of the roles permits. */
    public static Set<Activity> of(Set<AccessRole> roles) {
        EnumSet<Activity> all = EnumSet.noneOf(Activity.class);
        roles.forEach(r -> all.addAll(TABLE.get(r)));
        return all;
    }
}
