/**
 * E-rostering for a ward or community team over four to six weeks: who works which early, late, night or long-day
 * shift, with the skill mix each shift needs, contracted hours, rest rules, annual leave, requests and fair shares of
 * nights and weekends. {@link org.charnwood.scheduling.roster.RosterPlanner} takes a
 * {@link org.charnwood.scheduling.roster.RosterProblem} and returns a
 * {@link org.charnwood.scheduling.roster.RosterPlan}; shifts nobody can fill come back as vacancies to publish to the
 * staff bank. A Timefold model of its own ({@code ShiftSlot}, {@code Roster}, {@code RosterConstraints}).
 */
package org.charnwood.scheduling.roster;
