package org.charnwood.scheduling.visits;

import org.charnwood.scheduling.travel.GeoPoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a large day into teams: staff who share a base are a team, and each visit goes to the team whose base is
 * nearest, as district-nursing localities work. Each team's day can then be searched on its own.
 */
final class TeamPartition {

    private TeamPartition() {
    }

    /** The teams' days, or the whole day alone when it is small or has one base. */
    static List<VisitProblem> split(VisitProblem problem, int above) {
        Map<GeoPoint, List<StaffMember>> byBase = new LinkedHashMap<>();
        problem.staff().forEach(s -> byBase.computeIfAbsent(s.base(), b -> new ArrayList<>()).add(s));
        if (problem.visits().size() <= above || byBase.size() < 2) {
            return List.of(problem);
        }
        List<GeoPoint> bases = new ArrayList<>(byBase.keySet());
        Map<GeoPoint, List<VisitRequest>> visits = new LinkedHashMap<>();
        bases.forEach(b -> visits.put(b, new ArrayList<>()));
        for (VisitRequest visit : problem.visits()) {
            GeoPoint nearest = bases.get(0);
            for (GeoPoint base : bases) {
                if (base.metresTo(visit.location()) < nearest.metresTo(visit.location())) {
                    nearest = base;
                }
            }
            visits.get(nearest).add(visit);
        }
        List<VisitProblem> teams = new ArrayList<>();
        for (GeoPoint base : bases) {
            teams.add(new VisitProblem(problem.date(), byBase.get(base), visits.get(base)));
        }
        return teams;
    }
}
