package org.charnwood.terminology.snomed;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The active descriptions of a release, numbered shortest term first (then alphabetically). Terms are kept as one UTF-8 byte array with
 * offsets rather than a million String objects; per description a byte of flags holds its type, its British and
 * American English acceptability and whether typeahead searches it. Each concept's preferred term and FSN are
 * chosen once here.
 */
final class DescriptionTable {

    static final int FSN = 0;
    static final int SYNONYM = 1;
    static final int DEFINITION = 2;
    static final int NONE = 0;
    static final int PREFERRED = 1;
    static final int ACCEPTABLE = 2;
    private static final int SEARCHABLE = 1 << 6;

    private final long[] ids;
    private final int[] concepts;
    private final byte[] flags;
    private final byte[] languages;
    private final List<String> languageCodes;
    private final byte[] text;
    private final long[] offsets;
    private final int[] conceptStart;
    private final int[] conceptDescriptions;
    private final int[] preferred;
    private final int[] fsn;

    private DescriptionTable(Builder b, int conceptCount) {
        int m = b.concepts.size();
        ids = b.ids.toArray();
        concepts = b.concepts.toArray();
        flags = Arrays.copyOf(b.flags, m);
        languages = Arrays.copyOf(b.languages, m);
        languageCodes = List.copyOf(b.languageCodes);
        text = Arrays.copyOf(b.text, (int) b.textLength);
        offsets = b.offsets.toArray();
        conceptStart = new int[conceptCount + 1];
        for (int d = 0; d < m; d++) {
            conceptStart[concepts[d] + 1]++;
        }
        for (int c = 0; c < conceptCount; c++) {
            conceptStart[c + 1] += conceptStart[c];
        }
        conceptDescriptions = new int[m];
        int[] fill = Arrays.copyOf(conceptStart, conceptCount);
        for (int d = 0; d < m; d++) {
            conceptDescriptions[fill[concepts[d]]++] = d;
        }
        preferred = new int[conceptCount];
        fsn = new int[conceptCount];
        for (int c = 0; c < conceptCount; c++) {
            chooseNames(c);
        }
    }

    /**
     * Picks the preferred term (British English preferred synonym, else American, else an acceptable or any
     * synonym) and the FSN the same way, and marks which descriptions typeahead searches: synonyms acceptable in
     * either dialect, or every synonym when the concept has none in a language refset, or the FSN when the
     * concept has no synonym at all (thin test releases).
     */
    private void chooseNames(int c) {
        int bestSynonym = -1;
        int bestSynonymRank = Integer.MAX_VALUE;
        int bestFsn = -1;
        int bestFsnRank = Integer.MAX_VALUE;
        boolean anyInRefset = false;
        for (int k = conceptStart[c]; k < conceptStart[c + 1]; k++) {
            int d = conceptDescriptions[k];
            int type = type(d);
            int rank = gb(d) == PREFERRED ? 0 : us(d) == PREFERRED ? 1 : gb(d) == ACCEPTABLE ? 2
                    : us(d) == ACCEPTABLE ? 3 : 4;
            if (type == SYNONYM) {
                anyInRefset |= rank < 4;
                if (rank < bestSynonymRank) {
                    bestSynonymRank = rank;
                    bestSynonym = d;
                }
            } else if (type == FSN && rank < bestFsnRank) {
                bestFsnRank = rank;
                bestFsn = d;
            }
        }
        preferred[c] = bestSynonym >= 0 ? bestSynonym : bestFsn;
        fsn[c] = bestFsn;
        for (int k = conceptStart[c]; k < conceptStart[c + 1]; k++) {
            int d = conceptDescriptions[k];
            boolean searchable = type(d) == SYNONYM ? (!anyInRefset || gb(d) != NONE || us(d) != NONE)
                    : type(d) == FSN && bestSynonym < 0 && d == bestFsn;
            if (searchable) {
                flags[d] |= SEARCHABLE;
            }
        }
    }

    int size() {
        return concepts.length;
    }

    int concept(int d) {
        return concepts[d];
    }

    long id(int d) {
        return ids[d];
    }

    int type(int d) {
        return flags[d] & 3;
    }

    int gb(int d) {
        return flags[d] >> 2 & 3;
    }

    int us(int d) {
        return flags[d] >> 4 & 3;
    }

    boolean searchable(int d) {
        return (flags[d] & SEARCHABLE) != 0;
    }

    boolean isPreferredTerm(int d) {
        return preferred[concepts[d]] == d;
    }

    String term(int d) {
        int from = (int) offsets[d];
        return new String(text, from, (int) offsets[d + 1] - from, StandardCharsets.UTF_8);
    }

    int termLength(int d) {
        return (int) (offsets[d + 1] - offsets[d]);
    }

    int[] ofConcept(int c) {
        return Arrays.copyOfRange(conceptDescriptions, conceptStart[c], conceptStart[c + 1]);
    }

    String preferredTerm(int c) {
        int d = preferred[c];
        if (d < 0) {
            return null;
        }
        String term = term(d);
        return type(d) == FSN ? withoutSemanticTag(term) : term;
    }

    String fullySpecifiedName(int c) {
        return fsn[c] < 0 ? null : term(fsn[c]);
    }

    static String withoutSemanticTag(String fsn) {
        int open = fsn.lastIndexOf(" (");
        return open > 0 && fsn.endsWith(")") ? fsn.substring(0, open) : fsn;
    }

    Designation designation(int d) {
        Designation.Type type = switch (type(d)) {
            case FSN -> Designation.Type.FULLY_SPECIFIED_NAME;
            case SYNONYM -> Designation.Type.SYNONYM;
            default -> Designation.Type.DEFINITION;
        };
        return new Designation(ids[d], term(d), languageCodes.get(languages[d]), type, acceptability(gb(d)),
                acceptability(us(d)));
    }

    private static Designation.Acceptability acceptability(int value) {
        return switch (value) {
            case PREFERRED -> Designation.Acceptability.PREFERRED;
            case ACCEPTABLE -> Designation.Acceptability.ACCEPTABLE;
            default -> null;
        };
    }

    long approximateBytes() {
        return ids.length * 8L + concepts.length * 4L + flags.length * 2L + text.length + offsets.length * 8L
                + conceptStart.length * 4L + conceptDescriptions.length * 4L + preferred.length * 8L;
    }

    static final class Builder {

        private final LongList ids = new LongList();
        private final IntList concepts = new IntList();
        private byte[] flags = new byte[1024];
        private byte[] languages = new byte[1024];
        private final List<String> languageCodes = new ArrayList<>();
        private byte[] text = new byte[1 << 16];
        private long textLength;
        private final LongList offsets = new LongList();

        Builder() {
            offsets.add(0);
        }

        void add(long id, int concept, long typeId, String languageCode, String term, long gb, long us) {
            int d = concepts.size();
            ids.add(id);
            concepts.add(concept);
            if (d == flags.length) {
                flags = Arrays.copyOf(flags, d * 2);
                languages = Arrays.copyOf(languages, d * 2);
            }
            int type = typeId == SnomedIds.FSN ? FSN : typeId == SnomedIds.SYNONYM ? SYNONYM : DEFINITION;
            flags[d] = (byte) (type | acceptability(gb) << 2 | acceptability(us) << 4);
            int language = languageCodes.indexOf(languageCode);
            if (language < 0) {
                language = languageCodes.size();
                languageCodes.add(languageCode);
            }
            languages[d] = (byte) language;
            byte[] bytes = term.getBytes(StandardCharsets.UTF_8);
            if (textLength + bytes.length > text.length) {
                long grown = Math.max(textLength + bytes.length, text.length * 3L / 2);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("terms exceed 2 GB");
                }
                text = Arrays.copyOf(text, (int) grown);
            }
            System.arraycopy(bytes, 0, text, (int) textLength, bytes.length);
            textLength += bytes.length;
            offsets.add(textLength);
        }

        private static int acceptability(long id) {
            return id == SnomedIds.PREFERRED ? PREFERRED : id == SnomedIds.ACCEPTABLE ? ACCEPTABLE : NONE;
        }

        DescriptionTable finish(int conceptCount) {
            return new DescriptionTable(this, conceptCount);
        }
    }
}
