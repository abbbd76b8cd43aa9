/**
 * Generators of realistic, reproducible Leicestershire problems (district-nursing days, ward rosters) for tests and
 * the benchmark: the same seed gives the same problem.
 */
package org.charnwood.scheduling.generator;
