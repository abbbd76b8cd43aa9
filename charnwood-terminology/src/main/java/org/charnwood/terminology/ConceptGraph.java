package org.charnwood.terminology;

import java.util.BitSet;

/**
 * One SNOMED CT release as a graph held in memory, the shape that subsumption tests and Expression Constraint
 * Language evaluation need. Concepts are numbered densely ({@code 0 .. size()-1}) so that sets of concepts are
 * {@link BitSet}s and walks touch arrays, not maps; {@link #index(long)} and {@link #conceptId(int)} convert
 * between these numbers and SCTIDs. Only the inferred (stated is ignored), active view is exposed: inactive
 * concepts are present (so they can be looked up and replaced) but have no relationships.
 */
public interface ConceptGraph {

    /** Number of concepts, active and inactive. */
    int size();

    /** The dense number of a concept, or -1 when the release does not have it. */
    int index(long conceptId);

    long conceptId(int index);

    boolean active(int index);

    /** Direct |is a| parents (active inferred relationships), as concept numbers. */
    int[] parents(int index);

    /** Direct |is a| children (active inferred relationships), as concept numbers. */
    int[] children(int index);

    /** Adds every proper descendant of a concept (not the concept itself) to {@code into}. */
    void addDescendants(int index, BitSet into);

    /** Adds every proper ancestor of a concept (not the concept itself) to {@code into}. */
    void addAncestors(int index, BitSet into);

    /** Whether {@code ancestor} subsumes {@code descendant} (true when they are the same concept). */
    boolean subsumes(int ancestor, int descendant);

    /** Active inferred attribute relationships (not |is a|) whose source is this concept. */
    Relationship[] attributes(int source);

    /** Active inferred attribute relationships (not |is a|) whose destination is this concept. */
    Relationship[] attributesPointingAt(int destination);

    /** Active concrete-value attributes of this concept (SNOMED CT concrete domains). */
    ConcreteValue[] concreteValues(int source);

    /** Active members of a simple (or any component-referencing) refset; null when the concept is not a refset. */
    BitSet refsetMembers(long refsetId);

    /**
     * An attribute relationship: {@code source --type--> target} in relationship group {@code group}
     * (0 = ungrouped). {@code other} is the destination concept for {@link #attributes(int)} and the source for
     * {@link #attributesPointingAt(int)}; all values are concept numbers.
     */
    record Relationship(int type, int other, int group) {
    }

    /** A concrete value: {@code source --type--> value} in a group; the value is a number or a string. */
    record ConcreteValue(int type, Object value, int group) {
    }
}
