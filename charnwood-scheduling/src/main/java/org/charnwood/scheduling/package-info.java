/**
 * Charnwood's smart scheduling engine, built on Timefold Solver: district-nursing visit planning
 * ({@code visits}), ward and team e-rostering ({@code roster}), the travel times both rest on ({@code travel}) and
 * generators of realistic Leicestershire problems for tests and benchmarks ({@code generator}). This package holds the
 * plain score explanation both models hand back. Everything enters and leaves as plain records, so the application
 * can map FHIR resources in and write Appointments out without knowing the solver.
 */
package org.charnwood.scheduling;
