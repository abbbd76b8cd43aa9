package org.charnwood.app.security.policy;

import org.charnwood.fhir.compartment.PatientCompartment;

import java.util.Set;

/**
 * The kinds of resource the policy tells apart by type. Demographic resources can be seen by staff for any patient
 * (to find a patient, then book them or refer them); a patient's administrative and clinical resources only within a
 * legitimate relationship (a referral to the crisis team or an appointment at a sexual health clinic says as much as
 * a diagnosis); reference data (no patient's) by anyone signed in.
 */
public enum ResourceClass {
    /** Who the patient is and who is close to them. */
    DEMOGRAPHIC,
    /**
     * Booking and flow: appointments, referrals, episodes, teams, flags. Seen by roles that may see demographics,
     * but a patient's only within a relationship; written by roles that administer, for any patient they may find
     * (a booking or referral for a patient new to the service is what makes the relationship).
     */
    ADMINISTRATIVE,
    /** Everything else in the Patient compartment: the clinical record. */
    CLINICAL,
    /**
     * Tasks: work passed between people. A Task about a patient is part of their record (the Patient compartment
     * as R5 defines it), seen by staff only within a relationship, and also by those it is addressed to or who
     * asked for it ({@link AddressedTasks}); a Task about nobody is seen by staff as reference data is.
     */
    WORKFLOW,
    /** Types outside the Patient compartment: practitioners, organisations, locations, medicines, forms. */
    REFERENCE;

    static final Set<String> DEMOGRAPHIC_TYPES = Set.of("Patient", "RelatedPerson", "Person");
    static final Set<String> ADMINISTRATIVE_TYPES = Set.of("Appointment", "AppointmentResponse", "Schedule", "Slot",
            "ServiceRequest", "EpisodeOfCare", "CareTeam", "Coverage", "Account", "Flag");

    public static ResourceClass of(String type) {
        if ("Task".equals(type)) {
            return WORKFLOW;
        }
        if (DEMOGRAPHIC_TYPES.contains(type)) {
            return DEMOGRAPHIC;
        }
        if (ADMINISTRATIVE_TYPES.contains(type)) {
            return ADMINISTRATIVE;
        }
        return PatientCompartment.get().membership().containsKey(type) ? CLINICAL : REFERENCE;
    }

    /** Whether resources of the type belong to a patient's record (the Patient compartment, with Task as in R5). */
    public static boolean inCompartment(String type) {
        return PatientCompartment.get().membership().containsKey(type);
    }
}
