package org.charnwood.terminology.snomed;

/**
 * A small open-addressing set of non-negative ints, for walks that visit a few dozen to a few thousand concepts
 * (ancestors, search candidates): cheaper to allocate per call than a visited array the size of the release.
 */
final class IntSet {

    private int[] slots;
    private int size;

    IntSet(int expected) {
        slots = new int[Integer.highestOneBit(Math.max(8, expected) * 2 - 1) << 1];
        java.util.Arrays.fill(slots, -1);
    }

    /** Adds a value; false when it was already there. */
    boolean add(int value) {
        int mask = slots.length - 1;
        for (int i = (value * 0x9E3779B9) >>> 7 & mask; ; i = (i + 1) & mask) {
            int v = slots[i];
            if (v == value) {
                return false;
            }
            if (v < 0) {
                slots[i] = value;
                if (++size * 2 > slots.length) {
                    grow();
                }
                return true;
            }
        }
    }

    private void grow() {
        int[] old = slots;
        slots = new int[old.length * 2];
        java.util.Arrays.fill(slots, -1);
        size = 0;
        for (int v : old) {
            if (v >= 0) {
                add(v);
            }
        }
    }
}
