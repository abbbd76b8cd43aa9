/**
 * E-rostering and the staff bank: builds a ward's or team's roster period from the store (the CareTeam's
 * PractitionerRoles, grades and contracts, approved leave and shift preferences), has the scheduling library's
 * {@code RosterPlanner} fill it, shows it to the manager and publishes it as shifts in the {@code rostering}
 * schema, with the places nobody could fill offered to the bank. Bank staff book and cancel those places under
 * the rest, night and notice rules, and staff ask for leave and preferences that managers decide. Owns the
 * {@code /staff/rosters} pages, the mobile-first {@code /shifts} app and the {@code rostering} tables.
 */
package org.charnwood.app.rostering;
