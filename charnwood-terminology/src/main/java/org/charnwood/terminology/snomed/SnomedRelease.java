package org.charnwood.terminology.snomed;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.ConceptGraph;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A SNOMED CT release held in memory for serving: the {@link ConceptGraph} (dense concept numbers in SCTID
 * order, parents, children, attributes both ways, concrete values, refset members), the concepts' descriptions,
 * historical associations and the typeahead index. Everything is in flat arrays (compressed-sparse-row style:
 * {@code start[i] .. start[i+1]} indexes the entries of concept {@code i}) so that a UK edition with its search
 * index fits in a few hundred megabytes. Immutable once built, so any number of threads may read it.
 */
public final class SnomedRelease implements ConceptGraph {

    private final TerminologyRelease release;
    private final long[] ids;
    private final BitSet active;
    private final BitSet defined;
    private final long[] modules;
    private final int[] effectiveTimes;
    private final int[] parentStart;
    private final int[] parentList;
    private final int[] childStart;
    private final int[] childList;
    private final long[] attributeTypes;
    private final int[] attributeStart;
    private final int[] attributeKey;
    private final int[] attributeOther;
    private final int[] reverseStart;
    private final int[] reverseKey;
    private final int[] reverseOther;
    private final ConcreteValue[][] concrete;
    private final Map<Long, int[]> refsets;
    private final int[] associationStart;
    private final long[] associationRefset;
    private final int[] associationTarget;
    private final DescriptionTable descriptions;
    private final TermSearch search;
    private final Map<Long, BitSet> refsetCache = new ConcurrentHashMap<>();

    SnomedRelease(Builder b) {
        this.release = b.release;
        this.ids = b.ids;
        this.active = b.active;
        this.defined = b.defined;
        this.modules = b.modules;
        this.effectiveTimes = b.effectiveTimes;
        int n = ids.length;
        int[][] isA = csr(n, b.isASource, b.isADestination);
        parentStart = isA[0];
        parentList = isA[1];
        int[][] down = csr(n, b.isADestination, b.isASource);
        childStart = down[0];
        childList = down[1];
        attributeTypes = b.attributeTypeIds.toArray();
        int[][] forward = csr(n, b.attributeSource, b.attributeDestination, b.attributeKey);
        attributeStart = forward[0];
        attributeOther = forward[1];
        attributeKey = forward[2];
        int[][] reverse = csr(n, b.attributeDestination, b.attributeSource, b.attributeKey);
        reverseStart = reverse[0];
        reverseOther = reverse[1];
        reverseKey = reverse[2];
        concrete = b.concrete;
        refsets = b.finishRefsets();
        int[][] associations = csr(n, b.associationSource, b.associationTarget, b.associationRefsetSlot);
        associationStart = associations[0];
        associationTarget = associations[1];
        int[] slots = associations[2];
        associationRefset = new long[slots.length];
        for (int i = 0; i < slots.length; i++) {
            associationRefset[i] = b.associationRefsets.get(slots[i]);
        }
        descriptions = b.descriptions.finish(n);
        search = new TermSearch(this, descriptions);
    }

    /** Groups edges by their first column: returns {start, second column, extra columns ...}. */
    private static int[][] csr(int n, IntList from, IntList to, IntList... extra) {
        int[] start = new int[n + 1];
        int m = from.size();
        for (int i = 0; i < m; i++) {
            start[from.get(i) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            start[i + 1] += start[i];
        }
        int[] fill = Arrays.copyOf(start, n);
        int[][] out = new int[2 + extra.length][];
        out[0] = start;
        for (int k = 1; k < out.length; k++) {
            out[k] = new int[m];
        }
        for (int i = 0; i < m; i++) {
            int at = fill[from.get(i)]++;
            out[1][at] = to.get(i);
            for (int k = 0; k < extra.length; k++) {
                out[2 + k][at] = extra[k].get(i);
            }
        }
        return out;
    }

    public TerminologyRelease release() {
        return release;
    }

    public TermSearch search() {
        return search;
    }

    /** Typeahead search; see {@link TermSearch}. */
    public List<SearchHit> search(SearchRequest request) {
        return search.search(request);
    }

    // ConceptGraph

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public int index(long conceptId) {
        int i = Arrays.binarySearch(ids, conceptId);
        return i >= 0 ? i : -1;
    }

    @Override
    public long conceptId(int index) {
        return ids[index];
    }

    @Override
    public boolean active(int index) {
        return active.get(index);
    }

    @Override
    public int[] parents(int index) {
        return Arrays.copyOfRange(parentList, parentStart[index], parentStart[index + 1]);
    }

    @Override
    public int[] children(int index) {
        return Arrays.copyOfRange(childList, childStart[index], childStart[index + 1]);
    }

    @Override
    public void addDescendants(int index, BitSet into) {
        BitSet seen = new BitSet(ids.length);
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = index;
        while (top > 0) {
            int c = stack[--top];
            for (int i = childStart[c], end = childStart[c + 1]; i < end; i++) {
                int child = childList[i];
                if (!seen.get(child)) {
                    seen.set(child);
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = child;
                }
            }
        }
        into.or(seen);
    }

    @Override
    public void addAncestors(int index, BitSet into) {
        IntSet seen = new IntSet(32);
        int[] stack = new int[32];
        int top = 0;
        stack[top++] = index;
        while (top > 0) {
            int c = stack[--top];
            for (int i = parentStart[c], end = parentStart[c + 1]; i < end; i++) {
                int parent = parentList[i];
                if (seen.add(parent)) {
                    into.set(parent);
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = parent;
                }
            }
        }
    }

    /**
     * Walks up from the descendant: SNOMED CT concepts have tens, at most a few hundred, ancestors, so this is a
     * few microseconds and needs no closure table. The visited set is a small hash set: ancestors are few, and
     * a per-thread array the size of the release would cost megabytes per request thread.
     */
    @Override
    public boolean subsumes(int ancestor, int descendant) {
        if (ancestor == descendant) {
            return true;
        }
        if (childStart[ancestor] == childStart[ancestor + 1]) {
            return false;
        }
        IntSet seen = new IntSet(32);
        int[] stack = new int[32];
        int top = 0;
        stack[top++] = descendant;
        while (top > 0) {
            int c = stack[--top];
            for (int i = parentStart[c], end = parentStart[c + 1]; i < end; i++) {
                int parent = parentList[i];
                if (parent == ancestor) {
                    return true;
                }
                if (seen.add(parent)) {
                    if (top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                    }
                    stack[top++] = parent;
                }
            }
        }
        return false;
    }

    @Override
    public Relationship[] attributes(int source) {
        return relationships(attributeStart, attributeKey, attributeOther, source);
    }

    @Override
    public Relationship[] attributesPointingAt(int destination) {
        return relationships(reverseStart, reverseKey, reverseOther, destination);
    }

    private Relationship[] relationships(int[] start, int[] key, int[] other, int index) {
        int from = start[index];
        Relationship[] out = new Relationship[start[index + 1] - from];
        for (int i = 0; i < out.length; i++) {
            int k = key[from + i];
            out[i] = new Relationship(index(attributeTypes[k >>> 16]), other[from + i], k & 0xFFFF);
        }
        return out;
    }

    @Override
    public ConcreteValue[] concreteValues(int source) {
        ConcreteValue[] values = concrete == null ? null : concrete[source];
        return values == null ? new ConcreteValue[0] : values.clone();
    }

    @Override
    public BitSet refsetMembers(long refsetId) {
        int[] members = refsets.get(refsetId);
        if (members == null) {
            return null;
        }
        BitSet set = new BitSet(ids.length);
        for (int m : members) {
            set.set(m);
        }
        return set;
    }

    /** Refset ids that have members in this release. */
    public List<Long> refsetIds() {
        return refsets.keySet().stream().sorted().toList();
    }

    /** The members of a refset, shared and never to be changed by the caller (search filters use it). */
    BitSet refsetMembersShared(long refsetId) {
        return refsetCache.computeIfAbsent(refsetId, id -> {
            BitSet set = refsetMembers(id);
            return set == null ? new BitSet() : set;
        });
    }

    // Lookup

    /** The concept with this SCTID, or empty when the release does not have it. */
    public Optional<Concept> concept(long conceptId) {
        int i = index(conceptId);
        if (i < 0) {
            return Optional.empty();
        }
        List<Designation> designations = new ArrayList<>();
        for (int d : descriptions.ofConcept(i)) {
            designations.add(descriptions.designation(d));
        }
        return Optional.of(new Concept(ids[i], active.get(i), modules[i], effectiveTimes[i], defined.get(i),
                fullySpecifiedName(i), preferredTerm(i), List.copyOf(designations), toIds(parents(i)),
                toIds(children(i))));
    }

    private List<Long> toIds(int[] indexes) {
        List<Long> out = new ArrayList<>(indexes.length);
        for (int i : indexes) {
            out.add(ids[i]);
        }
        return out;
    }

    /** The British English preferred term (American, then any synonym, then the FSN as fallbacks). */
    public String preferredTerm(int index) {
        return descriptions.preferredTerm(index);
    }

    public String fullySpecifiedName(int index) {
        return descriptions.fullySpecifiedName(index);
    }

    /** The display for a code, or empty when the release does not have it. */
    public Optional<String> display(long conceptId) {
        int i = index(conceptId);
        return i < 0 ? Optional.empty() : Optional.ofNullable(preferredTerm(i));
    }

    /**
     * The subsumption outcome of {@code a} against {@code b}, as $subsumes reports it. Both must be in the
     * release; inactive concepts have no hierarchy and are only equivalent to themselves.
     */
    public Subsumption subsumption(long a, long b) {
        int ia = requireIndex(a);
        int ib = requireIndex(b);
        if (ia == ib) {
            return Subsumption.EQUIVALENT;
        }
        if (subsumes(ia, ib)) {
            return Subsumption.SUBSUMES;
        }
        if (subsumes(ib, ia)) {
            return Subsumption.SUBSUMED_BY;
        }
        return Subsumption.NOT_SUBSUMED;
    }

    private int requireIndex(long conceptId) {
        int i = index(conceptId);
        if (i < 0) {
            throw FhirException.of(404, ErrorCode.UNKNOWN_CONCEPT, IssueType.NOTFOUND,
                    "SNOMED CT concept " + conceptId + " is not in release " + release.label());
        }
        return i;
    }

    /** Historical associations from this (normally inactive) concept, empty when it has none or is unknown. */
    public List<HistoricalAssociation> associations(long conceptId) {
        int i = index(conceptId);
        if (i < 0) {
            return List.of();
        }
        List<HistoricalAssociation> out = new ArrayList<>();
        for (int k = associationStart[i]; k < associationStart[i + 1]; k++) {
            long refset = associationRefset[k];
            out.add(new HistoricalAssociation(refset, HistoricalAssociation.kindOf(refset), ids[associationTarget[k]]));
        }
        return out;
    }

    /**
     * The active concepts to use instead of an inactive one: its association targets, followed through targets
     * that are themselves inactive (a concept replaced by one that was later replaced). Empty for an active
     * concept.
     */
    public List<Long> replacements(long conceptId) {
        int i = index(conceptId);
        if (i < 0 || active.get(i)) {
            return List.of();
        }
        List<Long> out = new ArrayList<>();
        replacementsOf(i, out, new BitSet(), 0);
        return out;
    }

    int[] replacementIndexes(int index) {
        if (active.get(index)) {
            return new int[0];
        }
        List<Long> ids = new ArrayList<>();
        replacementsOf(index, ids, new BitSet(), 0);
        return ids.stream().mapToInt(this::index).toArray();
    }

    private void replacementsOf(int index, List<Long> out, BitSet seen, int depth) {
        if (depth > 8 || seen.get(index)) {
            return;
        }
        seen.set(index);
        for (int k = associationStart[index]; k < associationStart[index + 1]; k++) {
            int target = associationTarget[k];
            if (active.get(target)) {
                if (!out.contains(ids[target])) {
                    out.add(ids[target]);
                }
            } else {
                replacementsOf(target, out, seen, depth + 1);
            }
        }
    }

    /** Heap held by this release's arrays, roughly (for reports). */
    public long approximateBytes() {
        long bytes = ids.length * 8L * 2 + effectiveTimes.length * 4L;
        bytes += (parentStart.length + parentList.length + childStart.length + childList.length) * 4L;
        bytes += (attributeStart.length + attributeKey.length * 2L + reverseStart.length + reverseKey.length * 2L) * 4L;
        bytes += refsets.values().stream().mapToLong(a -> a.length * 4L).sum();
        bytes += associationStart.length * 4L + associationTarget.length * 12L;
        bytes += descriptions.approximateBytes() + search.approximateBytes();
        return bytes;
    }

    /**
     * Gathers a release's rows (in any order, except descriptions, which come shortest term first) and builds the
     * arrays. Concepts must all be added before anything that refers to them.
     */
    public static final class Builder {

        private final TerminologyRelease release;
        private final LongList conceptIds = new LongList();
        private final BitSet conceptActive = new BitSet();
        private final BitSet conceptDefined = new BitSet();
        private final LongList conceptModules = new LongList();
        private final IntList conceptTimes = new IntList();
        private long[] ids;
        private BitSet active;
        private BitSet defined;
        private long[] modules;
        private int[] effectiveTimes;
        private final IntList isASource = new IntList();
        private final IntList isADestination = new IntList();
        private final IntList attributeSource = new IntList();
        private final IntList attributeDestination = new IntList();
        private final IntList attributeKey = new IntList();
        private final LongList attributeTypeIds = new LongList();
        private final LongIntMap attributeTypeSlots = new LongIntMap(256);
        private ConcreteValue[][] concrete;
        private final Map<Long, IntList> refsetMembers = new java.util.HashMap<>();
        private final IntList associationSource = new IntList();
        private final IntList associationTarget = new IntList();
        private final IntList associationRefsetSlot = new IntList();
        private final LongList associationRefsets = new LongList();
        private final LongIntMap associationRefsetSlots = new LongIntMap(32);
        private DescriptionTable.Builder descriptions;
        private long skipped;

        public Builder(TerminologyRelease release) {
            this.release = release;
        }

        public Builder concept(long id, boolean isActive, long moduleId, int effectiveTime, boolean sufficientlyDefined) {
            int row = conceptIds.size();
            conceptIds.add(id);
            conceptActive.set(row, isActive);
            conceptDefined.set(row, sufficientlyDefined);
            conceptModules.add(moduleId);
            conceptTimes.add(effectiveTime);
            return this;
        }

        /** Ends the concepts: numbers them in SCTID order. */
        private void numberConcepts() {
            if (ids != null) {
                return;
            }
            int n = conceptIds.size();
            long[] raw = conceptIds.toArray();
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            boolean sorted = true;
            for (int i = 1; i < n && sorted; i++) {
                sorted = raw[i - 1] < raw[i];
            }
            if (!sorted) {
                Arrays.sort(order, (x, y) -> Long.compare(raw[x], raw[y]));
            }
            ids = new long[n];
            active = new BitSet(n);
            defined = new BitSet(n);
            modules = new long[n];
            effectiveTimes = new int[n];
            for (int i = 0; i < n; i++) {
                int r = order[i];
                ids[i] = raw[r];
                active.set(i, conceptActive.get(r));
                defined.set(i, conceptDefined.get(r));
                modules[i] = conceptModules.get(r);
                effectiveTimes[i] = conceptTimes.get(r);
            }
            descriptions = new DescriptionTable.Builder();
        }

        private int indexOf(long id) {
            numberConcepts();
            int i = Arrays.binarySearch(ids, id);
            return i >= 0 ? i : -1;
        }

        /** An active inferred relationship (|is a| or attribute). */
        public Builder relationship(long sourceId, long destinationId, long typeId, int group) {
            int s = indexOf(sourceId);
            int d = indexOf(destinationId);
            if (s < 0 || d < 0) {
                skipped++;
                return this;
            }
            if (typeId == SnomedIds.IS_A) {
                isASource.add(s);
                isADestination.add(d);
            } else {
                int slot = attributeTypeSlots.get(typeId, -1);
                if (slot < 0) {
                    slot = attributeTypeIds.size();
                    attributeTypeSlots.put(typeId, slot, -1);
                    attributeTypeIds.add(typeId);
                }
                attributeSource.add(s);
                attributeDestination.add(d);
                attributeKey.add(slot << 16 | Math.min(group, 0xFFFF));
            }
            return this;
        }

        /** An active inferred concrete value, as written in RF2 ({@code #5} or {@code "text"}). */
        public Builder concreteValue(long sourceId, long typeId, String value, int group) {
            int s = indexOf(sourceId);
            int t = indexOf(typeId);
            Object parsed = ConcreteValues.parse(value);
            if (s < 0 || t < 0 || parsed == null) {
                skipped++;
                return this;
            }
            if (concrete == null) {
                concrete = new ConcreteValue[ids.length][];
            }
            ConcreteValue[] old = concrete[s];
            ConcreteValue[] now = old == null ? new ConcreteValue[1] : Arrays.copyOf(old, old.length + 1);
            now[now.length - 1] = new ConcreteValue(t, parsed, group);
            concrete[s] = now;
            return this;
        }

        /** An active simple refset member; members that are not concepts of the release are not kept. */
        public Builder refsetMember(long refsetId, long componentId) {
            int c = indexOf(componentId);
            if (c >= 0) {
                refsetMembers.computeIfAbsent(refsetId, id -> new IntList()).add(c);
            }
            return this;
        }

        public Builder association(long refsetId, long sourceId, long targetId) {
            int s = indexOf(sourceId);
            int t = indexOf(targetId);
            if (s < 0 || t < 0) {
                return this;
            }
            int slot = associationRefsetSlots.get(refsetId, -1);
            if (slot < 0) {
                slot = associationRefsets.size();
                associationRefsetSlots.put(refsetId, slot, -1);
                associationRefsets.add(refsetId);
            }
            associationSource.add(s);
            associationTarget.add(t);
            associationRefsetSlot.add(slot);
            return this;
        }

        /**
         * An active description, in the order typeahead ranks equal matches: shortest term first, then
         * alphabetical.
         * Acceptabilities are {@link SnomedIds#PREFERRED}, {@link SnomedIds#ACCEPTABLE} or 0 for none.
         */
        public Builder description(long descriptionId, long conceptId, long typeId, String languageCode, String term,
                                   long gbAcceptability, long usAcceptability) {
            int c = indexOf(conceptId);
            if (c < 0) {
                skipped++;
                return this;
            }
            descriptions.add(descriptionId, c, typeId, languageCode, term, gbAcceptability, usAcceptability);
            return this;
        }

        private Map<Long, int[]> finishRefsets() {
            Map<Long, int[]> out = new java.util.HashMap<>();
            refsetMembers.forEach((id, list) -> {
                int[] members = list.toArray();
                Arrays.sort(members);
                out.put(id, members);
            });
            return Map.copyOf(out);
        }

        public SnomedRelease build() {
            numberConcepts();
            return new SnomedRelease(this);
        }
    }
}
