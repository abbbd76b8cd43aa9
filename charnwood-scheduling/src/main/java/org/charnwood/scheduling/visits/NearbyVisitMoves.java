package org.charnwood.scheduling.visits;

import ai.timefold.solver.core.api.score.director.ScoreDirector;
import ai.timefold.solver.core.impl.heuristic.move.MoveAdapters;
import ai.timefold.solver.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;
import ai.timefold.solver.core.impl.score.director.InnerScoreDirector;
import ai.timefold.solver.core.preview.api.domain.metamodel.PlanningListVariableMetaModel;
import ai.timefold.solver.core.preview.api.move.Move;
import ai.timefold.solver.core.preview.api.move.builtin.Moves;
import org.charnwood.scheduling.travel.TravelMatrix;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Local-search moves that only bring a visit next to one of its nearest visits: move it just before or after a
 * neighbour, swap it with a neighbour's next or previous stop, or exchange the tails of the two routes after them.
 * Timefold's own list moves pick the destination at random across every route, so on a day of a hundred routes
 * almost every one drives a nurse across the county and is rejected; this is the "nearby selection" that the
 * community edition does not have. Neighbour lists are built once per phase from the travel matrix.
 */
public final class NearbyVisitMoves
        implements MoveIteratorFactory<VisitPlan, ai.timefold.solver.core.impl.heuristic.move.Move<VisitPlan>> {

    /** How many nearest visits each visit may be brought next to. */
    static final int NEIGHBOURS = 20;
    /** Random picks before giving up on finding a doable move for one call (a pinned or unassigned pick). */
    private static final int TRIES = 50;

    private PlanningListVariableMetaModel<VisitPlan, Carer, Visit> routes;
    private Visit[] visits;
    private Visit[][] nearby;

    @Override
    @SuppressWarnings("unchecked")
    public void phaseStarted(ScoreDirector<VisitPlan> scoreDirector) {
        // The moves must name the solver's own list variable, so its meta-model comes from the running solver.
        routes = ((InnerScoreDirector<VisitPlan, ?>) scoreDirector).getSolutionDescriptor().getMetaModel()
                .genuineEntity(Carer.class).listVariable();
        VisitPlan plan = scoreDirector.getWorkingSolution();
        visits = plan.getVisits().toArray(Visit[]::new);
        nearby = new Visit[visits.length][];
    }

    @Override
    public void phaseEnded(ScoreDirector<VisitPlan> scoreDirector) {
        routes = null;
        visits = null;
        nearby = null;
    }

    /**
     * The {@code count} nearest other visits by travel time, nearest first. Worked out the first time a visit is picked
     * rather than for every visit up front: a short replan picks only a few hundred of a thousand visits.
     */
    static Visit[] neighbours(Visit[] visits, int of, int count) {
        TravelMatrix matrix = visits[of].matrix();
        long[] keyed = new long[visits.length - 1];
        int n = 0;
        for (int j = 0; j < visits.length; j++) {
            if (j != of) {
                keyed[n++] = ((long) matrix.seconds(visits[of].getPlace(), visits[j].getPlace()) << 32) | j;
            }
        }
        Arrays.sort(keyed);
        Visit[] near = new Visit[Math.min(count, n)];
        for (int m = 0; m < near.length; m++) {
            near[m] = visits[(int) keyed[m]];
        }
        return near;
    }

    @Override
    public long getSize(ScoreDirector<VisitPlan> scoreDirector) {
        return (long) scoreDirector.getWorkingSolution().getVisits().size() * NEIGHBOURS * 4;
    }

    @Override
    public Iterator<ai.timefold.solver.core.impl.heuristic.move.Move<VisitPlan>> createOriginalMoveIterator(
            ScoreDirector<VisitPlan> scoreDirector) {
        throw new UnsupportedOperationException("Nearby visit moves are only selected at random.");
    }

    @Override
    public Iterator<ai.timefold.solver.core.impl.heuristic.move.Move<VisitPlan>> createRandomMoveIterator(
            ScoreDirector<VisitPlan> scoreDirector, Random random) {
        Iterator<Move<VisitPlan>> moves = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return visits.length > 1;
            }

            @Override
            public Move<VisitPlan> next() {
                for (int i = 0; i < TRIES; i++) {
                    Move<VisitPlan> move = pick(random);
                    if (move != null) {
                        return move;
                    }
                }
                // Everything picked was pinned or unassigned: a move that changes nothing and is never done.
                return ai.timefold.solver.core.impl.heuristic.move.NoChangeMove.getInstance();
            }
        };
        return MoveAdapters.toLegacyMoveIterator(moves);
    }

    /** One random nearby move, or null when the pick cannot make one. */
    Move<VisitPlan> pick(Random random) {
        int picked = random.nextInt(visits.length);
        Visit visit = visits[picked];
        if (nearby[picked] == null) {
            nearby[picked] = neighbours(visits, picked, NEIGHBOURS);
        }
        Visit[] near = nearby[picked];
        // Nearer neighbours are tried more often: squaring a uniform pick leans towards the front of the list.
        double r = random.nextDouble();
        Visit neighbour = near[(int) (r * r * near.length)];
        Carer to = neighbour.getCarer();
        if (to == null) {
            return null;
        }
        int at = to.getVisits().indexOf(neighbour);
        Carer from = visit.getCarer();
        int index = from == null ? -1 : from.getVisits().indexOf(visit);
        if (from != null && index < from.getPinnedCount()) {
            return null;
        }
        return switch (random.nextInt(from == null ? 2 : 6)) {
            case 0 -> insert(visit, from, index, to, at + 1);
            case 1 -> insert(visit, from, index, to, at);
            case 2 -> swap(from, index, to, at + 1);
            case 3 -> swap(from, index, to, at - 1);
            // The visit followed by the neighbour and the rest of its route, or the neighbour followed by the visit.
            case 4 -> tails(from, index, to, at - 1);
            default -> tails(from, index - 1, to, at);
        };
    }

    /** Moves the visit so that it stands at {@code position} of the destination route as it is now. */
    private Move<VisitPlan> insert(Visit visit, Carer from, int index, Carer to, int position) {
        if (position < to.getPinnedCount()) {
            return null;
        }
        if (from == null) {
            return Moves.assign(routes, visit, to, position);
        }
        if (from == to) {
            // Within one route the destination index counts after the visit has been taken out.
            int destination = index < position ? position - 1 : position;
            return destination == index ? null : Moves.change(routes, from, index, to, destination);
        }
        return Moves.change(routes, from, index, to, position);
    }

    private Move<VisitPlan> swap(Carer from, int index, Carer to, int position) {
        if (position < to.getPinnedCount() || position >= to.getVisits().size() || (from == to && position == index)) {
            return null;
        }
        return Moves.swap(routes, from, index, to, position);
    }

    /**
     * Two-opt across routes: the first route continues after {@code index} with what followed {@code at} in the second,
     * and the second with what followed {@code index}, so two routes that cross untangle.
     */
    private Move<VisitPlan> tails(Carer from, int index, Carer to, int at) {
        if (from == to || index < from.getPinnedCount() - 1 || at < to.getPinnedCount() - 1) {
            return null;
        }
        int fromTail = from.getVisits().size() - index - 1;
        int toTail = to.getVisits().size() - at - 1;
        if (fromTail == 0 && toTail == 0) {
            return null;
        }
        return new TailExchange(routes, from, index, to, at);
    }

    /** Swaps what follows position {@code a} of route {@code first} with what follows position {@code b} of {@code second}. */
    record TailExchange(PlanningListVariableMetaModel<VisitPlan, Carer, Visit> routes, Carer first, int a,
                        Carer second, int b) implements Move<VisitPlan> {

        @Override
        public void execute(ai.timefold.solver.core.preview.api.move.MutableSolutionView<VisitPlan> view) {
            int firstTail = view.countValues(routes, first) - a - 1;
            int secondTail = view.countValues(routes, second) - b - 1;
            for (int i = 0; i < secondTail; i++) {
                view.moveValueBetweenLists(routes, second, b + 1, first, view.countValues(routes, first));
            }
            for (int i = 0; i < firstTail; i++) {
                view.moveValueBetweenLists(routes, first, a + 1, second, view.countValues(routes, second));
            }
        }

        @Override
        public java.util.Collection<?> getPlanningEntities() {
            return List.of(first, second);
        }

        @Override
        public String describe() {
            return "TailExchange";
        }

        @Override
        public String toString() {
            return "tails after " + first + "[" + a + "] <-> " + second + "[" + b + "]";
        }
    }
}
