package org.charnwood.terminology.dmd;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Word-prefix typeahead over product names. Holds the sorted distinct words of all names, each name as word
 * numbers into that list, and for each word the products using it. A typed word is then a range of word
 * numbers (every word it is a prefix of), so matching a product is comparing small integers, not strings.
 * Products are the dense numbers of {@link DmdProducts}.
 */
final class ProductNameIndex {

    private final String[] words;
    private final int[][] postings;
    private final int[][] productWords;
    private final int[] staticRank;
    private final int[] byRank;

    ProductNameIndex(String[] names, byte[] levels) {
        int n = names.length;
        Set<String> distinct = new HashSet<>();
        for (String name : names) {
            distinct.addAll(ProductWords.of(name));
        }
        words = distinct.toArray(String[]::new);
        Arrays.sort(words);
        Map<String, Integer> wordNumber = new HashMap<>(words.length * 2);
        for (int w = 0; w < words.length; w++) {
            wordNumber.put(words[w], w);
        }
        productWords = new int[n][];
        int[] postingSizes = new int[words.length];
        for (int i = 0; i < n; i++) {
            // the first word stays first: ranking asks whether the name starts with what was typed
            productWords[i] = ProductWords.of(names[i]).stream().mapToInt(wordNumber::get).distinct().toArray();
            for (int w : productWords[i]) {
                postingSizes[w]++;
            }
        }
        postings = new int[words.length][];
        for (int w = 0; w < words.length; w++) {
            postings[w] = new int[postingSizes[w]];
        }
        int[] filled = new int[words.length];
        for (int i = 0; i < n; i++) {
            for (int w : productWords[i]) {
                postings[w][filled[w]++] = i;
            }
        }
        // the part of the ranking that does not depend on what was typed, computed once: level, length, name
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> levels[i])
                .thenComparingInt(i -> names[i].length())
                .thenComparing(i -> names[i]));
        staticRank = new int[n];
        byRank = new int[n];
        for (int r = 0; r < n; r++) {
            staticRank[order[r]] = r;
            byRank[r] = order[r];
        }
    }

    /**
     * Products having, for every typed word, a word that starts with it; not those in {@code excluded}. Names
     * that start with the first typed word come first, then by level, length and name.
     */
    int[] search(String text, int limit, BitSet excluded) {
        List<String> typed = ProductWords.of(text);
        if (typed.isEmpty() || limit <= 0) {
            return new int[0];
        }
        int[][] ranges = new int[typed.size()][];
        int narrowest = 0;
        long narrowestSize = Long.MAX_VALUE;
        for (int t = 0; t < typed.size(); t++) {
            ranges[t] = wordRange(typed.get(t));
            long size = 0;
            for (int w = ranges[t][0]; w < ranges[t][1]; w++) {
                size += postings[w].length;
            }
            if (size == 0) {
                return new int[0];
            }
            if (size < narrowestSize) {
                narrowestSize = size;
                narrowest = t;
            }
        }
        BitSet candidates = new BitSet(productWords.length);
        for (int w = ranges[narrowest][0]; w < ranges[narrowest][1]; w++) {
            for (int i : postings[w]) {
                candidates.set(i);
            }
        }
        candidates.andNot(excluded);
        int[] firstRange = ranges[0];
        long[] keys = new long[64];
        int found = 0;
        for (int i = candidates.nextSetBit(0); i >= 0; i = candidates.nextSetBit(i + 1)) {
            if (allWordsMatch(ranges, productWords[i])) {
                int firstWord = productWords[i].length == 0 ? -1 : productWords[i][0];
                boolean startsWithTyped = firstWord >= firstRange[0] && firstWord < firstRange[1];
                if (found == keys.length) {
                    keys = Arrays.copyOf(keys, found * 2);
                }
                // names starting with the first typed word first, then the precomputed order (rank in the low bits)
                keys[found++] = (startsWithTyped ? 0L : 1L << 40) | staticRank[i];
            }
        }
        long[] ranked = Arrays.copyOf(keys, found);
        Arrays.sort(ranked);
        int[] result = new int[Math.min(limit, found)];
        for (int k = 0; k < result.length; k++) {
            result[k] = byRank[(int) (ranked[k] & 0xFF_FFFF_FFFFL)];
        }
        return result;
    }

    /** The words that start with {@code prefix}, as word numbers {@code [from, to)}. */
    private int[] wordRange(String prefix) {
        return new int[]{lowerBound(prefix), lowerBound(prefix + Character.MAX_VALUE)};
    }

    private int lowerBound(String key) {
        int lo = 0;
        int hi = words.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (words[mid].compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static boolean allWordsMatch(int[][] ranges, int[] productWords) {
        for (int[] range : ranges) {
            boolean found = false;
            for (int w : productWords) {
                if (w >= range[0] && w < range[1]) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
