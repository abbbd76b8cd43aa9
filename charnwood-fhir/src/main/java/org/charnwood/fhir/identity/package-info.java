/**
 * Patient identifiers as value types: parsing, checking and displaying them. The NHS number is the
 * national patient identifier, so every place that stores or compares one goes through
 * {@link org.charnwood.fhir.identity.NhsNumber}. This package never allocates NHS numbers (only the
 * Personal Demographics Service does) and never decides whether a number belongs to a patient.
 */
package org.charnwood.fhir.identity;
