package org.charnwood.app.workspace;

import java.util.List;

/**
 * What identifies the patient at the top of every patient page, so no one records against the wrong person.
 *
 * @param id          the Patient id
 * @param name        "SURNAME, Given"
 * @param nhsNumber   3-3-4, or null when the patient has none
 * @param birthDate   as read ("3 March 1950"), with the age in years
 * @param address     the home address on one line
 * @param gp          the registered GP practice or GP
 * @param allergies   what to say of allergies and intolerances: the active ones, "No active allergies",
 *                    "None recorded", or that they are not shown to this person (never "None recorded" then)
 * @param alerts      the active alert Flags the person may see
 * @param alertsNote  null when the person sees every alert; otherwise says that some, or all, are not shown
 * @param restricted  whether part of the record is labelled restricted and may not be shown to everyone
 * @param spo2Scale2  whether a clinician decided the patient's SpO2 is scored on scale 2
 * @param recordObservations whether the person may record observations for the patient, so is offered the form
 */
record PatientBanner(String id, String name, String nhsNumber, String birthDate, Integer age, String gender,
                     String address, String gp, String allergies,
                     List<String> alerts, String alertsNote, boolean restricted, boolean spo2Scale2,
                     boolean recordObservations) {
}
