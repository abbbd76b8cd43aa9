package org.charnwood.app.observations;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The observation sets this node has already derived a NEWS2 score from, each with the version of every input it
 * read. A set of seven vital signs arrives as seven change events, and each used to read, parse and score the
 * whole set again, to reach the same answer; an event whose Observation was already read, at its version or a
 * later one, by a derivation that committed adds nothing: any later change to the set brings its own event.
 * Only committed derivations are recorded, so a rolled-back one is done again. Bounded, oldest set first out.
 *
 * <p>Each node keeps its own, and hears nothing of the derivations other nodes make (it is not a listener of
 * {@code ResourceChangeNoticed}): what it holds stays true whatever they do, because a committed derivation did read
 * those versions and a resource's versions only go up. An event is skipped only by the node whose own committed
 * derivation already read its version; at worst a node scores a set again that another node has already scored,
 * which writes nothing.
 */
final class DerivedSets {

    private static final int CAPACITY = 20_000;

    private final Map<String, Map<String, Integer>> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Integer>> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Whether a committed derivation of the set already read this Observation at this version or a later one. */
    synchronized boolean covers(String set, String observationId, int version) {
        Map<String, Integer> versions = seen.get(set);
        Integer read = versions == null ? null : versions.get(observationId);
        return read != null && read >= version;
    }

    /** Records what a derivation of the set read, once it has committed. */
    synchronized void derived(String set, Map<String, Integer> versions) {
        seen.put(set, Map.copyOf(versions));
    }
}
