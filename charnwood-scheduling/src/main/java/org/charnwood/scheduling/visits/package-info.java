/**
 * Community district-nursing visit planning: who visits which patient, in what order and when, as a vehicle-routing
 * problem with time windows solved by Timefold. {@link org.charnwood.scheduling.visits.VisitPlanner} takes a
 * {@link org.charnwood.scheduling.visits.VisitProblem} of plain records and returns a
 * {@link org.charnwood.scheduling.visits.DayPlan}: routes in visiting order, each visit left out with the rule that
 * kept it out, and the score explained; it also replans a day in progress around an urgent visit. The Timefold domain
 * ({@code Carer}, {@code Visit}, {@code VisitPlan}, {@code VisitConstraints}) stays behind that API.
 */
package org.charnwood.scheduling.visits;
