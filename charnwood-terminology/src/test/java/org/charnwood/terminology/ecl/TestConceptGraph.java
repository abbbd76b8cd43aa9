package org.charnwood.terminology.ecl;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.charnwood.terminology.ConceptGraph;

/**
 * A small in-memory {@link ConceptGraph} for tests, built concept by concept. The production graph is loaded from
 * a release; this one only has to be obviously right.
 */
final class TestConceptGraph implements ConceptGraph {

    private final long[] ids;
    private final boolean[] active;
    private final Map<Long, Integer> indexes;
    private final int[][] parents;
    private final int[][] children;
    private final Relationship[][] attributes;
    private final Relationship[][] pointingAt;
    private final ConcreteValue[][] concreteValues;
    private final Map<Long, BitSet> refsets;

    private TestConceptGraph(Builder builder) {
        int size = builder.concepts.size();
        ids = new long[size];
        active = new boolean[size];
        indexes = new HashMap<>();
        int i = 0;
        for (Map.Entry<Long, Boolean> concept : builder.concepts.entrySet()) {
            ids[i] = concept.getKey();
            active[i] = concept.getValue();
            indexes.put(concept.getKey(), i);
            i++;
        }
        List<List<Integer>> up = lists(size);
        List<List<Integer>> down = lists(size);
        for (long[] isA : builder.isA) {
            int child = require(isA[0]);
            int parent = require(isA[1]);
            up.get(child).add(parent);
            down.get(parent).add(child);
        }
        parents = arrays(up);
        children = arrays(down);
        List<List<Relationship>> out = lists(size);
        List<List<Relationship>> in = lists(size);
        for (long[] attribute : builder.attributes) {
            int source = require(attribute[0]);
            int type = require(attribute[1]);
            int target = require(attribute[2]);
            out.get(source).add(new Relationship(type, target, (int) attribute[3]));
            in.get(target).add(new Relationship(type, source, (int) attribute[3]));
        }
        attributes = out.stream().map(list -> list.toArray(Relationship[]::new)).toArray(Relationship[][]::new);
        pointingAt = in.stream().map(list -> list.toArray(Relationship[]::new)).toArray(Relationship[][]::new);
        List<List<ConcreteValue>> values = lists(size);
        for (Object[] value : builder.concreteValues) {
            values.get(require((Long) value[0])).add(
                    new ConcreteValue(require((Long) value[1]), value[2], (Integer) value[3]));
        }
        concreteValues = values.stream().map(list -> list.toArray(ConcreteValue[]::new))
                .toArray(ConcreteValue[][]::new);
        refsets = new HashMap<>();
        builder.refsets.forEach((refset, members) -> {
            BitSet set = new BitSet(size);
            members.forEach(member -> set.set(require(member)));
            refsets.put(refset, set);
        });
    }

    static Builder builder() {
        return new Builder();
    }

    private int require(long id) {
        Integer index = indexes.get(id);
        if (index == null) {
            throw new IllegalArgumentException("no concept " + id);
        }
        return index;
    }

    private static <T> List<List<T>> lists(int size) {
        List<List<T>> lists = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lists.add(new ArrayList<>(2));
        }
        return lists;
    }

    private static int[][] arrays(List<List<Integer>> lists) {
        int[][] arrays = new int[lists.size()][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        return arrays;
    }

    /** The SCTIDs of the concepts a test picks out, e.g. every active one. */
    long[] idsWhere(java.util.function.IntPredicate test) {
        return java.util.stream.IntStream.range(0, ids.length).filter(test).mapToLong(i -> ids[i]).toArray();
    }

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public int index(long conceptId) {
        Integer index = indexes.get(conceptId);
        return index == null ? -1 : index;
    }

    @Override
    public long conceptId(int index) {
        return ids[index];
    }

    @Override
    public boolean active(int index) {
        return active[index];
    }

    @Override
    public int[] parents(int index) {
        return parents[index];
    }

    @Override
    public int[] children(int index) {
        return children[index];
    }

    @Override
    public void addDescendants(int index, BitSet into) {
        walk(index, children, into);
    }

    @Override
    public void addAncestors(int index, BitSet into) {
        walk(index, parents, into);
    }

    /** Depth-first with an int stack, so that a large subtree costs no allocation per concept. */
    private void walk(int from, int[][] edges, BitSet into) {
        BitSet seen = new BitSet(ids.length);
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = from;
        while (top > 0) {
            int concept = stack[--top];
            for (int next : edges[concept]) {
                if (!seen.get(next)) {
                    seen.set(next);
                    if (top == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = next;
                }
            }
        }
        into.or(seen);
    }

    @Override
    public boolean subsumes(int ancestor, int descendant) {
        if (ancestor == descendant) {
            return true;
        }
        // Upwards from the descendant: ancestors are few, so a short list beats a release-sized bit set.
        int[] stack = new int[32];
        int[] seen = new int[32];
        int top = 0;
        int seenCount = 0;
        stack[top++] = descendant;
        while (top > 0) {
            int concept = stack[--top];
            for (int parent : parents[concept]) {
                if (parent == ancestor) {
                    return true;
                }
                boolean visited = false;
                for (int i = 0; i < seenCount && !visited; i++) {
                    visited = seen[i] == parent;
                }
                if (!visited) {
                    if (seenCount == seen.length) {
                        seen = java.util.Arrays.copyOf(seen, seenCount * 2);
                    }
                    seen[seenCount++] = parent;
                    if (top == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = parent;
                }
            }
        }
        return false;
    }

    @Override
    public Relationship[] attributes(int source) {
        return attributes[source];
    }

    @Override
    public Relationship[] attributesPointingAt(int destination) {
        return pointingAt[destination];
    }

    @Override
    public ConcreteValue[] concreteValues(int source) {
        return concreteValues[source];
    }

    @Override
    public BitSet refsetMembers(long refsetId) {
        BitSet members = refsets.get(refsetId);
        return members == null ? null : (BitSet) members.clone();
    }

    /** Collects concepts and relationships by SCTID; {@link #build()} numbers them in the order they were added. */
    static final class Builder {
        private final Map<Long, Boolean> concepts = new LinkedHashMap<>();
        private final List<long[]> isA = new ArrayList<>();
        private final List<long[]> attributes = new ArrayList<>();
        private final List<Object[]> concreteValues = new ArrayList<>();
        private final Map<Long, List<Long>> refsets = new LinkedHashMap<>();

        /** An active concept under the given parents. */
        Builder concept(long id, long... parentIds) {
            concepts.put(id, true);
            for (long parent : parentIds) {
                isA.add(new long[] {id, parent});
            }
            return this;
        }

        Builder isA(long child, long parent) {
            isA.add(new long[] {child, parent});
            return this;
        }

        Builder inactiveConcept(long id) {
            concepts.put(id, false);
            return this;
        }

        Builder attribute(long source, long type, long target, int group) {
            attributes.add(new long[] {source, type, target, group});
            return this;
        }

        Builder concreteValue(long source, long type, Object value, int group) {
            concreteValues.add(new Object[] {source, type, value, group});
            return this;
        }

        Builder refset(long refsetId, long... members) {
            List<Long> list = refsets.computeIfAbsent(refsetId, id -> new ArrayList<>());
            for (long member : members) {
                list.add(member);
            }
            return this;
        }

        TestConceptGraph build() {
            return new TestConceptGraph(this);
        }
    }
}
