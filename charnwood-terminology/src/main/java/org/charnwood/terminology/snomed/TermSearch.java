package org.charnwood.terminology.snomed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Typeahead over preferred terms and synonyms. Words are numbered in sorted order, so the words starting with a
 * typed prefix are one contiguous range of numbers; postings (word → descriptions), a first-word index and each
 * description's words are flat int arrays. Descriptions are numbered shortest term first, so every posting list
 * is in rank order within a match class.
 * <p>
 * Ranking: exact term, then term starting with the text, then all words found anywhere, then (only when a typed
 * word matched no word, or nothing was found) terms within one or two spelling edits per word; within a class shorter terms
 * first, then alphabetical. When some typed word is rare its postings are simply all checked. When every typed
 * word is common (one short word, say), the postings of the word range are merged in description order, which is
 * rank order, and the walk stops once the limit is reached: first over descriptions starting with the first
 * typed word (the only ones that can be exact or prefix matches), then over all descriptions.
 */
public final class TermSearch {

    private static final int MAX_WORDS = 8;
    /** Postings of the rarest typed word above which the early-stopping merged walk is used. */
    private static final int SELECTIVE = 6_000;
    /** Most postings a merged or fuzzy walk looks at: bounds the worst case of a query. */
    private static final int WALK_LIMIT = 60_000;
    /** Most postings the fuzzy walk looks at: misspelt words can match many vocabulary words. */
    private static final int FUZZY_WALK_LIMIT = 4_000;

    private final SnomedRelease release;
    private final DescriptionTable descriptions;
    private final String[] vocabulary;
    private final int[] postingStart;
    private final int[] postings;
    private final int[] wordStart;
    private final int[] words;
    private final int[] firstStart;
    private final int[] firstWord;
    private final java.util.concurrent.ConcurrentLinkedDeque<Scratch> scratch =
            new java.util.concurrent.ConcurrentLinkedDeque<>();
    private int selective = SELECTIVE;

    TermSearch(SnomedRelease release, DescriptionTable descriptions) {
        this.release = release;
        this.descriptions = descriptions;
        int m = descriptions.size();
        Map<String, Integer> ids = new HashMap<>();
        List<String> byTemporaryId = new ArrayList<>();
        IntList forward = new IntList();
        int[] start = new int[m + 1];
        for (int d = 0; d < m; d++) {
            if (descriptions.searchable(d)) {
                List<String> terms = Terms.words(descriptions.term(d));
                for (String word : terms) {
                    Integer id = ids.get(word);
                    if (id == null) {
                        id = byTemporaryId.size();
                        ids.put(word, id);
                        byTemporaryId.add(word);
                    }
                    forward.add(id);
                }
            }
            start[d + 1] = forward.size();
        }
        vocabulary = byTemporaryId.toArray(new String[0]);
        Integer[] order = new Integer[vocabulary.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> vocabulary[a].compareTo(vocabulary[b]));
        int[] rank = new int[vocabulary.length];
        String[] sorted = new String[vocabulary.length];
        for (int r = 0; r < order.length; r++) {
            rank[order[r]] = r;
            sorted[r] = vocabulary[order[r]];
        }
        System.arraycopy(sorted, 0, vocabulary, 0, sorted.length);
        wordStart = start;
        words = forward.toArray();
        for (int i = 0; i < words.length; i++) {
            words[i] = rank[words[i]];
        }
        postingStart = new int[vocabulary.length + 1];
        for (int w : words) {
            postingStart[w + 1]++;
        }
        for (int i = 0; i < vocabulary.length; i++) {
            postingStart[i + 1] += postingStart[i];
        }
        postings = new int[words.length];
        int[] fill = Arrays.copyOf(postingStart, vocabulary.length);
        for (int d = 0; d < m; d++) {
            int last = -1;
            for (int k = wordStart[d]; k < wordStart[d + 1]; k++) {
                int w = words[k];
                if (w != last) {
                    postings[fill[w]++] = d;
                }
                last = w;
            }
        }
        // Descriptions by first word (each list in description order): the exact and prefix candidates.
        firstStart = new int[vocabulary.length + 1];
        int searchable = 0;
        for (int d = 0; d < m; d++) {
            if (wordStart[d] < wordStart[d + 1]) {
                firstStart[words[wordStart[d]] + 1]++;
                searchable++;
            }
        }
        for (int i = 0; i < vocabulary.length; i++) {
            firstStart[i + 1] += firstStart[i];
        }
        firstWord = new int[searchable];
        int[] firstFill = Arrays.copyOf(firstStart, vocabulary.length);
        for (int d = 0; d < m; d++) {
            if (wordStart[d] < wordStart[d + 1]) {
                firstWord[firstFill[words[wordStart[d]]]++] = d;
            }
        }
    }

    /**
     * Work space of one search: the best match key per concept touched (an open-addressing map sized to what
     * the search touches, not to the release) and two description bit sets for intersections. Kept in a pool
     * rather than per thread, so a server with hundreds of request threads holds only as many as search at once.
     */
    private static final class Scratch {
        int[] keys = new int[1024];
        long[] values = new long[1024];
        int[] touched = new int[512];
        int touchedCount;
        long[] marks;
        long[] both;

        Scratch() {
            Arrays.fill(keys, -1);
        }

        private int slot(int concept) {
            int mask = keys.length - 1;
            int i = (concept * 0x9E3779B9) >>> 7 & mask;
            while (keys[i] != concept && keys[i] != -1) {
                i = (i + 1) & mask;
            }
            return i;
        }

        /** The best key so far plus one, or 0 when the concept has not matched. */
        long best(int concept) {
            int i = slot(concept);
            return keys[i] == concept ? values[i] : 0;
        }

        void offer(int concept, long key) {
            int i = slot(concept);
            if (keys[i] == concept) {
                if (key + 1 < values[i]) {
                    values[i] = key + 1;
                }
                return;
            }
            keys[i] = concept;
            values[i] = key + 1;
            if (touchedCount == touched.length) {
                touched = Arrays.copyOf(touched, touchedCount * 2);
            }
            touched[touchedCount++] = concept;
            if (touchedCount * 2 > keys.length) {
                grow();
            }
        }

        private void grow() {
            int[] oldKeys = keys;
            long[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new long[oldKeys.length * 2];
            Arrays.fill(keys, -1);
            for (int k = 0; k < oldKeys.length; k++) {
                if (oldKeys[k] != -1) {
                    int i = slot(oldKeys[k]);
                    keys[i] = oldKeys[k];
                    values[i] = oldValues[k];
                }
            }
        }

        void clear() {
            // A table grown by one broad search is dropped rather than kept (and cleared) for every later one.
            if (keys.length > 1 << 16) {
                keys = new int[1024];
                values = new long[1024];
                Arrays.fill(keys, -1);
            } else {
                Arrays.fill(keys, -1);
            }
            touchedCount = 0;
        }

        /** A bit per description, all clear between uses. */
        long[] marks(int descriptions) {
            if (marks == null) {
                marks = new long[(descriptions + 63) >>> 6];
            }
            return marks;
        }

        long[] both(int descriptions) {
            if (both == null) {
                both = new long[(descriptions + 63) >>> 6];
            }
            return both;
        }
    }

    /** A typed word: its prefix range of word numbers, the number of the word itself, and fuzzy alternatives. */
    private static final class Typed {
        final String text;
        final int from;
        final int to;
        final int exact;
        int[] fuzzy = new int[0];
        BitSet fuzzySet = new BitSet();

        Typed(String text, int from, int to, int exact) {
            this.text = text;
            this.from = from;
            this.to = to;
            this.exact = exact;
        }

        boolean matches(int word) {
            return word >= from && word < to;
        }

        boolean matchesFuzzy(int word) {
            return matches(word) || fuzzySet.get(word);
        }
    }

    public List<SearchHit> search(SearchRequest request) {
        List<String> text = Terms.words(request.text());
        if (text.isEmpty()) {
            return List.of();
        }
        if (text.size() > MAX_WORDS) {
            text = text.subList(0, MAX_WORDS);
        }
        Typed[] typed = new Typed[text.size()];
        boolean allFound = true;
        for (int j = 0; j < typed.length; j++) {
            String word = text.get(j);
            int from = lowerBound(word);
            int to = lowerBound(word + Character.MAX_VALUE);
            int exact = from < to && vocabulary[from].equals(word) ? from : -1;
            typed[j] = new Typed(word, from, to, exact);
            allFound &= from < to;
        }
        BitSet refset = request.refsetId() == null ? null : release.refsetMembersShared(request.refsetId());
        Scratch s = scratch.pollFirst();
        if (s == null) {
            s = new Scratch();
        }
        try {
            if (allFound) {
                Typed driver = typed[0];
                for (Typed t : typed) {
                    if (postings(t) < postings(driver)) {
                        driver = t;
                    }
                }
                if (postings(driver) <= selective) {
                    for (int p = postingStart[driver.from], end = postingStart[driver.to]; p < end; p++) {
                        consider(postings[p], typed, request, refset, s, false);
                    }
                } else if (typed.length > 1) {
                    intersect(driver, typed, request, refset, s);
                } else {
                    int found = mergedWalk(firstStart, firstWord, typed[0], typed, request, refset, s, 1, request.limit());
                    if (found < request.limit()) {
                        mergedWalk(postingStart, postings, driver, typed, request, refset, s, 2, request.limit());
                    }
                }
            }
            // Spelling tolerance only when a typed word matched nothing or nothing was found: when the words
            // typed were all found, fewer results than the limit is an answer, not a misspelling.
            if ((!allFound || s.touchedCount == 0) && fuzzyWorthwhile(typed)) {
                fuzzySearch(typed, request, refset, s, allFound);
            }
            return hits(s, request.limit());
        } finally {
            s.clear();
            scratch.offerFirst(s);
        }
    }

    /**
     * Several typed words, all common. Marks the descriptions of the rarest word in a bit set and intersects the
     * postings of the next rarest with it (two linear passes over int arrays). Exact and prefix matches can only
     * be descriptions whose first word matches the first typed word, so those are checked first, through the
     * first-word index; then the intersection is walked in description (= rank) order, stopping at the limit.
     */
    private void intersect(Typed driver, Typed[] typed, SearchRequest request, BitSet refset, Scratch s) {
        Typed second = null;
        for (Typed t : typed) {
            if (t != driver && (second == null || postings(t) < postings(second))) {
                second = t;
            }
        }
        long[] marks = s.marks(descriptions.size());
        long[] both = s.both(descriptions.size());
        int from = postingStart[driver.from];
        int to = postingStart[driver.to];
        try {
            for (int p = from; p < to; p++) {
                int d = postings[p];
                marks[d >>> 6] |= 1L << d;
            }
            for (int p = postingStart[second.from], end = postingStart[second.to]; p < end; p++) {
                int d = postings[p];
                if ((marks[d >>> 6] & 1L << d) != 0) {
                    both[d >>> 6] |= 1L << d;
                }
            }
            Typed first = typed[0];
            for (int p = firstStart[first.from], end = firstStart[first.to]; p < end; p++) {
                int d = firstWord[p];
                if ((both[d >>> 6] & 1L << d) != 0) {
                    consider(d, typed, request, refset, s, false);
                }
            }
            walk:
            for (int i = 0; i < both.length; i++) {
                long bits = both[i];
                while (bits != 0) {
                    if (s.touchedCount >= request.limit()) {
                        break walk;
                    }
                    int d = i << 6 | Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    consider(d, typed, request, refset, s, false);
                }
            }
        } finally {
            for (int p = from; p < to; p++) {
                marks[postings[p] >>> 6] = 0;
            }
            for (int p = postingStart[second.from], end = postingStart[second.to]; p < end; p++) {
                both[postings[p] >>> 6] = 0;
            }
        }
    }

    private int postings(Typed t) {
        return postingStart[t.to] - postingStart[t.from];
    }

    /**
     * Walks the lists of every word in {@code over}'s range merged in description order (= rank order within a
     * class) and stops once {@code limit} concepts have matched with a class no worse than {@code worstClass}:
     * nothing later can rank above them. Returns how many concepts have such a match.
     */
    private int mergedWalk(int[] start, int[] lists, Typed over, Typed[] typed, SearchRequest request, BitSet refset,
                           Scratch s, int worstClass, int limit) {
        int k = over.to - over.from;
        long[] heap = new long[k];
        int size = 0;
        for (int w = over.from; w < over.to; w++) {
            if (start[w] < start[w + 1]) {
                heap[size] = (long) lists[start[w]] << 32 | start[w];
                siftUpMin(heap, size++);
            }
        }
        long cutoff = (long) (worstClass + 1) << 58;
        int good = 0;
        for (int i = 0; i < s.touchedCount; i++) {
            if (s.best(s.touched[i]) - 1 < cutoff) {
                good++;
            }
        }
        int walked = 0;
        while (size > 0 && good < limit && walked++ < WALK_LIMIT) {
            long top = heap[0];
            int d = (int) (top >>> 32);
            int at = (int) top;
            int c = descriptions.concept(d);
            long before = s.best(c);
            consider(d, typed, request, refset, s, false);
            long after = s.best(c);
            if (after != 0 && after - 1 < cutoff && (before == 0 || before - 1 >= cutoff)) {
                good++;
            }
            // Advance this word's cursor: the next description in its list, or drop the list.
            int next = at + 1;
            if (next < listEnd(start, over, at)) {
                heap[0] = (long) lists[next] << 32 | next;
            } else {
                heap[0] = heap[--size];
            }
            siftDownMin(heap, size);
        }
        return good;
    }

    /** The end of the word list that position {@code at} is in (the lists of a range lie end to end). */
    private static int listEnd(int[] start, Typed over, int at) {
        int lo = over.from;
        int hi = over.to - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (start[mid] <= at) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return start[lo + 1];
    }

    private boolean fuzzyWorthwhile(Typed[] typed) {
        for (Typed t : typed) {
            if (t.text.length() >= 3) {
                return true;
            }
        }
        return false;
    }

    private void consider(int d, Typed[] typed, SearchRequest request, BitSet refset, Scratch s, boolean fuzzy) {
        int c = descriptions.concept(d);
        if (!request.includeInactive() && !release.active(c)) {
            return;
        }
        if (request.allowed() != null && !request.allowed().get(c)) {
            return;
        }
        if (refset != null && !refset.get(c)) {
            return;
        }
        int from = wordStart[d];
        int length = wordStart[d + 1] - from;
        int rank;
        if (!fuzzy) {
            for (Typed t : typed) {
                if (!contains(from, length, t, false)) {
                    return;
                }
            }
            boolean prefix = length >= typed.length;
            boolean exact = length == typed.length;
            for (int j = 0; j < typed.length && prefix; j++) {
                int w = words[from + j];
                prefix = typed[j].matches(w);
                exact &= w == typed[j].exact;
            }
            rank = prefix && exact ? 0 : prefix ? 1 : 2;
        } else {
            for (Typed t : typed) {
                if (!contains(from, length, t, true)) {
                    return;
                }
            }
            rank = 3;
        }
        long key = (long) rank << 58 | d;
        s.offer(c, key);
    }

    private boolean contains(int from, int length, Typed t, boolean fuzzy) {
        for (int k = from; k < from + length; k++) {
            if (fuzzy ? t.matchesFuzzy(words[k]) : t.matches(words[k])) {
                return true;
            }
        }
        return false;
    }

    /**
     * Finds, for every typed word of three letters or more, the vocabulary words that start with something within
     * one edit (two for words of seven letters or more). Only words sharing the first letter are compared:
     * misspellings rarely change it, and it keeps the comparison to a small slice of the vocabulary.
     */
    private void fuzzySearch(Typed[] typed, SearchRequest request, BitSet refset, Scratch s, boolean allFound) {
        Typed driver = null;
        long driverCost = Long.MAX_VALUE;
        for (Typed t : typed) {
            // When some typed word matched nothing, that word is the misspelt one: the others keep their prefixes.
            boolean suspect = allFound || t.from == t.to;
            if (suspect && t.text.length() >= 3) {
                int edits = t.text.length() >= 7 ? 2 : 1;
                String first = t.text.substring(0, 1);
                int from = lowerBound(first);
                int to = lowerBound(first + Character.MAX_VALUE);
                IntList found = new IntList();
                for (int w = from; w < to; w++) {
                    if (!t.matches(w) && prefixDistance(t.text, vocabulary[w], edits) <= edits) {
                        found.add(w);
                    }
                }
                t.fuzzy = found.toArray();
                for (int w : t.fuzzy) {
                    t.fuzzySet.set(w);
                }
            }
            long cost = postingStart[t.to] - postingStart[t.from];
            for (int w : t.fuzzy) {
                cost += postingStart[w + 1] - postingStart[w];
            }
            if (cost < driverCost) {
                driverCost = cost;
                driver = t;
            }
        }
        if (driver == null) {
            return;
        }
        int walked = 0;
        for (int p = postingStart[driver.from], end = postingStart[driver.to]; p < end && walked++ < FUZZY_WALK_LIMIT; p++) {
            consider(postings[p], typed, request, refset, s, true);
        }
        for (int w : driver.fuzzy) {
            for (int p = postingStart[w], end = postingStart[w + 1]; p < end && walked++ < FUZZY_WALK_LIMIT; p++) {
                consider(postings[p], typed, request, refset, s, true);
            }
        }
    }

    /** Edit distance from {@code typed} to the closest prefix of {@code word}; more than {@code max} when far. */
    static int prefixDistance(String typed, String word, int max) {
        int n = typed.length();
        int limit = Math.min(word.length(), n + max);
        int[] previous = new int[n + 1];
        int[] current = new int[n + 1];
        for (int j = 0; j <= n; j++) {
            previous[j] = j;
        }
        int best = previous[n];
        for (int i = 1; i <= limit; i++) {
            current[0] = i;
            int rowMin = i;
            char c = word.charAt(i - 1);
            for (int j = 1; j <= n; j++) {
                int cost = typed.charAt(j - 1) == c ? 0 : 1;
                int value = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                current[j] = value;
                rowMin = Math.min(rowMin, value);
            }
            best = Math.min(best, current[n]);
            if (rowMin > max) {
                break;
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return best;
    }

    private List<SearchHit> hits(Scratch s, int limit) {
        // Keep the best `limit` keys with a max-heap: searches can touch tens of thousands of concepts.
        long[] heap = new long[limit];
        int size = 0;
        for (int i = 0; i < s.touchedCount; i++) {
            long key = s.best(s.touched[i]) - 1;
            if (size < limit) {
                heap[size] = key;
                siftUp(heap, size++);
            } else if (key < heap[0]) {
                heap[0] = key;
                siftDown(heap, size);
            }
        }
        long[] best = Arrays.copyOf(heap, size);
        Arrays.sort(best);
        List<SearchHit> out = new ArrayList<>(size);
        for (long key : best) {
            int d = (int) (key & ((1L << 58) - 1));
            int rank = (int) (key >>> 58);
            int c = descriptions.concept(d);
            boolean active = release.active(c);
            List<Long> replacedBy = active ? List.of() : release.replacements(release.conceptId(c));
            out.add(new SearchHit(release.conceptId(c), descriptions.id(d), descriptions.term(d),
                    release.preferredTerm(c), SearchHit.Match.values()[rank], active, replacedBy));
        }
        return out;
    }

    private static void siftUpMin(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] <= heap[i]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDownMin(long[] heap, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int smallest = i;
            if (left < size && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (left + 1 < size && heap[left + 1] < heap[smallest]) {
                smallest = left + 1;
            }
            if (smallest == i) {
                return;
            }
            long t = heap[smallest];
            heap[smallest] = heap[i];
            heap[i] = t;
            i = smallest;
        }
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (heap[parent] >= heap[i]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            int largest = i;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (left + 1 < size && heap[left + 1] > heap[largest]) {
                largest = left + 1;
            }
            if (largest == i) {
                return;
            }
            long t = heap[largest];
            heap[largest] = heap[i];
            heap[i] = t;
            i = largest;
        }
    }

    private int lowerBound(String word) {
        int lo = 0;
        int hi = vocabulary.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (vocabulary[mid].compareTo(word) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Sets the postings count above which the merged walk is used (tests compare both walks on small data). */
    void selectiveThreshold(int postings) {
        selective = postings;
    }

    /** Distinct words indexed. */
    public int vocabularySize() {
        return vocabulary.length;
    }

    long approximateBytes() {
        long bytes = (postingStart.length + postings.length + wordStart.length + words.length + firstStart.length
                + firstWord.length) * 4L;
        for (String w : vocabulary) {
            bytes += 48 + w.length();
        }
        return bytes;
    }
}
