/**
 * Travel between two places for the planners: the {@link org.charnwood.scheduling.travel.TravelTimes} interface a
 * road-network engine can implement, a great-circle default with a road factor and speeds by area type, and the
 * {@link org.charnwood.scheduling.travel.TravelMatrix} precomputed once per problem so the solver never calls out
 * while it searches.
 */
package org.charnwood.scheduling.travel;
