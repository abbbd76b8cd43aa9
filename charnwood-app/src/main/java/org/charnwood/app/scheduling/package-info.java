/**
 * District-nursing scheduling inside the application: reads a team's day from the FHIR store (staff from
 * {@code CareTeam} members' {@code PractitionerRole}s and {@code Practitioner}s, visits from active
 * {@code ServiceRequest}s performed by the team, homes from {@code Patient.address}), plans it with the
 * {@code charnwood-scheduling} library and writes the planned day back as booked {@code Appointment}s in route order,
 * all in one transaction.
 */
package org.charnwood.app.scheduling;
