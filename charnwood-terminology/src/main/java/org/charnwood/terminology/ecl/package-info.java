/**
 * The SNOMED CT Expression Constraint Language (ECL 2.x): {@link org.charnwood.terminology.ecl.Ecl#parse(String)}
 * turns a constraint into an immutable {@link org.charnwood.terminology.ecl.EclExpression} (its syntax tree is
 * {@link org.charnwood.terminology.ecl.Constraint} and {@link org.charnwood.terminology.ecl.Refinement}), which
 * evaluates over any {@link org.charnwood.terminology.ConceptGraph} to a set of concept numbers, or tests one concept,
 * within an {@link org.charnwood.terminology.ecl.EclBudget} so that a hostile or careless constraint cannot exhaust
 * the server. Value sets, bindings and pathway criteria are the callers.
 */
package org.charnwood.terminology.ecl;
