package org.charnwood.terminology.ecl;

/** Evaluation was stopped because it went over one of the limits of its {@link EclBudget}. */
public class EclCostExceededException extends EclException {

    /** Which limit was passed. */
    public enum Limit {
        RESULT_SIZE, WORK_UNITS, TIME
    }

    private final Limit limit;
    private final long allowed;
    private final long reached;

    public EclCostExceededException(Limit limit, long allowed, long reached) {
        super(switch (limit) {
            case RESULT_SIZE -> "expression constraint matches " + reached + " concepts, more than the " + allowed
                    + " allowed";
            case WORK_UNITS -> "expression constraint needs more than the " + allowed
                    + " work units allowed (stopped at " + reached + ")";
            case TIME -> "expression constraint took longer than the " + allowed + " ms allowed (stopped after "
                    + reached + " ms)";
        });
        this.limit = limit;
        this.allowed = allowed;
        this.reached = reached;
    }

    public Limit limit() {
        return limit;
    }

    /** The limit: concepts, work units or milliseconds. */
    public long allowed() {
        return allowed;
    }

    /** How far evaluation had gone when it stopped, in the same unit. */
    public long reached() {
        return reached;
    }
}
