package org.charnwood.bench;

import org.charnwood.terminology.snomed.Sctid;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a synthetic SNOMED CT RF2 snapshot the size of a UK edition: concepts in 19 top-level hierarchies,
 * depths spread over 2 to 20 levels, about a third of concepts with a second parent, about five attribute
 * relationships per concept in role groups, three descriptions per concept from a Zipf-distributed vocabulary
 * (children reuse their parent's words, as real terms do), a British English language refset, simple refsets,
 * and inactive concepts with REPLACED BY associations. Ids are valid SCTIDs; nothing here is real content.
 */
final class SyntheticSnomedRelease {

    static final long ROOT = 138875005L;
    static final long IS_A = 116680003L;
    static final long ATTRIBUTE_ROOT = 410662002L;
    private static final long MODULE = 900000000000207008L;
    private static final long PRIMITIVE = 900000000000074008L;
    private static final long FSN = 900000000000003001L;
    private static final long SYNONYM = 900000000000013009L;
    private static final long CASE = 900000000000448009L;
    private static final long INFERRED = 900000000000011006L;
    private static final long EXISTENTIAL = 900000000000451002L;
    private static final long GB = 900000000000508004L;
    private static final long PREFERRED = 900000000000548007L;
    private static final long ACCEPTABLE = 900000000000549004L;
    private static final long REPLACED_BY = 900000000000526001L;
    private static final int HIERARCHIES = 19;
    private static final int ATTRIBUTE_TYPES = 60;
    private static final int REFSETS = 10;
    private static final String[] TAGS = {"disorder", "finding", "procedure", "body structure", "substance",
            "product", "organism", "observable entity", "qualifier value", "situation", "event", "specimen",
            "physical object", "environment", "social concept", "record artifact", "staging scale",
            "physical force", "morphologic abnormality"};

    record Summary(int concepts, long descriptions, long relationships, long[] topLevel, long largestTopLevel) {
    }

    private final int size;
    private final SplittableRandom random;
    private final String[] vocabulary;

    SyntheticSnomedRelease(int concepts, long seed) {
        this.size = concepts;
        this.random = new SplittableRandom(seed);
        this.vocabulary = vocabulary(Math.max(2_000, concepts / 10));
    }

    /** Pronounceable made-up words, so that prefixes behave like real clinical words (no shared prefix soup). */
    private String[] vocabulary(int count) {
        String[] onsets = {"b", "c", "d", "f", "g", "h", "l", "m", "n", "p", "r", "s", "t", "v", "br", "cr", "pl", "st",
                "tr", "ph", "th", "ch", "gl", "sp"};
        String[] vowels = {"a", "e", "i", "o", "u", "y", "ae", "io", "ia", "ou"};
        String[] codas = {"", "n", "l", "r", "s", "x", "m", "t", "c", "st", "ct", "nt"};
        java.util.Set<String> words = new java.util.LinkedHashSet<>();
        while (words.size() < count) {
            int syllables = 1 + random.nextInt(4);
            StringBuilder w = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                w.append(onsets[random.nextInt(onsets.length)]).append(vowels[random.nextInt(vowels.length)]);
            }
            w.append(codas[random.nextInt(codas.length)]);
            if (w.length() >= 3) {
                words.add(w.toString());
            }
        }
        return words.toArray(new String[0]);
    }

    /** A Zipf-like word: low ranks are common. */
    private String word() {
        double u = random.nextDouble();
        int rank = (int) Math.floor(Math.pow(vocabulary.length, u)) - 1;
        return vocabulary[Math.max(0, Math.min(vocabulary.length - 1, rank))];
    }

    Summary write(Path folder) {
        try {
            return writeFiles(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Summary writeFiles(Path folder) throws IOException {
        Path terminology = Files.createDirectories(folder.resolve("Snapshot/Terminology"));
        Path language = Files.createDirectories(folder.resolve("Snapshot/Refset/Language"));
        Path content = Files.createDirectories(folder.resolve("Snapshot/Refset/Content"));
        String date = "20250401";
        String suffix = "_INT_" + date + ".txt";

        // Numbering: 0 root, 1 attribute root, 2 .. 2+ATTRIBUTE_TYPES-1 attribute types (0 of them is |is a|),
        // then refset concepts, then the top-level hierarchies and the clinical content.
        int n = size;
        long[] ids = new long[n];
        int[] depth = new int[n];
        int[] hierarchy = new int[n];
        int[] parent = new int[n];
        int[] secondParent = new int[n];
        String[] terms = new String[n];
        boolean[] inactive = new boolean[n];
        Arrays.fill(secondParent, -1);
        Arrays.fill(parent, -1);
        ids[0] = ROOT;
        ids[1] = ATTRIBUTE_ROOT;
        terms[0] = "SNOMED CT Concept";
        terms[1] = "Concept model attribute";
        parent[1] = 0;
        int firstType = 2;
        ids[firstType] = IS_A;
        terms[firstType] = "Is a";
        for (int t = 1; t < ATTRIBUTE_TYPES; t++) {
            terms[firstType + t] = "Has " + word() + " " + word();
        }
        for (int t = 0; t < ATTRIBUTE_TYPES; t++) {
            parent[firstType + t] = 1;
            depth[firstType + t] = 2;
        }
        depth[1] = 1;
        int firstRefset = firstType + ATTRIBUTE_TYPES;
        for (int r = 0; r < REFSETS; r++) {
            parent[firstRefset + r] = 0;
            depth[firstRefset + r] = 1;
            terms[firstRefset + r] = "Synthetic " + word() + " simple reference set";
        }
        int firstTop = firstRefset + REFSETS;
        long[] topLevel = new long[HIERARCHIES];
        List<List<IntArray>> byDepth = new ArrayList<>();
        for (int h = 0; h < HIERARCHIES; h++) {
            int c = firstTop + h;
            parent[c] = 0;
            depth[c] = 1;
            hierarchy[c] = h;
            terms[c] = capitalised(word()) + " " + word();
            List<IntArray> levels = new ArrayList<>();
            for (int d = 0; d <= 21; d++) {
                levels.add(new IntArray());
            }
            levels.get(1).add(c);
            byDepth.add(levels);
        }
        int item = 2_000_000;
        for (int c = 0; c < n; c++) {
            if (ids[c] == 0) {
                ids[c] = Sctid.of(item++, 0, Sctid.Partition.CONCEPT);
            }
        }
        // Hierarchy sizes are skewed like SNOMED CT's (clinical findings and products dominate).
        double[] weights = new double[HIERARCHIES];
        double total = 0;
        for (int h = 0; h < HIERARCHIES; h++) {
            weights[h] = 1.0 / (h + 1);
            total += weights[h];
        }
        for (int c = firstTop + HIERARCHIES; c < n; c++) {
            double pick = random.nextDouble() * total;
            int h = 0;
            while (h < HIERARCHIES - 1 && (pick -= weights[h]) > 0) {
                h++;
            }
            List<IntArray> levels = byDepth.get(h);
            // Target depth: mostly 6-14, tails to 2 and 20.
            int target = (int) Math.round(10 + random.nextGaussian() * 3.5);
            target = Math.max(2, Math.min(20, target));
            int d = target - 1;
            while (levels.get(d).size() == 0) {
                d--;
            }
            int p = levels.get(d).get(random.nextInt(levels.get(d).size()));
            parent[c] = p;
            depth[c] = d + 1;
            hierarchy[c] = h;
            levels.get(d + 1).add(c);
            if (d >= 2 && random.nextInt(3) == 0) {
                IntArray same = levels.get(d - random.nextInt(2));
                int q = same.get(random.nextInt(same.size()));
                if (q != p) {
                    secondParent[c] = q;
                }
            }
            // Children reuse words of their parent's term and add one or two of their own.
            String base = terms[p];
            String[] words = base.split(" ");
            StringBuilder term = new StringBuilder();
            int extra = 1 + random.nextInt(2);
            for (int k = 0; k < extra; k++) {
                term.append(k == 0 ? capitalised(word()) : word()).append(' ');
            }
            int keep = Math.min(words.length, 1 + random.nextInt(4));
            for (int k = words.length - keep; k < words.length; k++) {
                term.append(words[k].toLowerCase()).append(' ');
            }
            terms[c] = term.toString().trim();
            if (random.nextInt(100) < 4) {
                inactive[c] = true;
            }
        }
        for (int h = 0; h < HIERARCHIES; h++) {
            topLevel[h] = ids[firstTop + h];
        }

        long descriptions = 0;
        long relationships = 0;
        try (BufferedWriter concepts = writer(terminology.resolve("sct2_Concept_Snapshot" + suffix));
             BufferedWriter desc = writer(terminology.resolve("sct2_Description_Snapshot-en" + suffix));
             BufferedWriter lang = writer(language.resolve("der2_cRefset_LanguageSnapshot-en" + suffix))) {
            concepts.write("id\teffectiveTime\tactive\tmoduleId\tdefinitionStatusId\r\n");
            desc.write("id\teffectiveTime\tactive\tmoduleId\tconceptId\tlanguageCode\ttypeId\tterm\tcaseSignificanceId\r\n");
            lang.write("id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\tacceptabilityId\r\n");
            long descriptionItem = 3_000_000;
            long member = 0;
            for (int c = 0; c < n; c++) {
                concepts.write(ids[c] + "\t" + date + "\t" + (inactive[c] ? 0 : 1) + "\t" + MODULE + "\t" + PRIMITIVE + "\r\n");
                String tag = c < firstTop ? "foundation metadata concept" : TAGS[hierarchy[c]];
                String[] names = {terms[c] + " (" + tag + ")", terms[c], null, null};
                int synonyms = random.nextInt(3);
                for (int s = 0; s < synonyms; s++) {
                    names[2 + s] = capitalised(word()) + " " + terms[c].toLowerCase();
                }
                for (int k = 0; k < names.length; k++) {
                    if (names[k] == null) {
                        continue;
                    }
                    long id = Sctid.of(descriptionItem++, 0, Sctid.Partition.DESCRIPTION);
                    desc.write(id + "\t" + date + "\t1\t" + MODULE + "\t" + ids[c] + "\ten\t" + (k == 0 ? FSN : SYNONYM)
                            + "\t" + names[k] + "\t" + CASE + "\r\n");
                    lang.write(uuid(++member) + "\t" + date + "\t1\t" + MODULE + "\t" + GB + "\t" + id + "\t"
                            + (k < 2 ? PREFERRED : ACCEPTABLE) + "\r\n");
                    descriptions++;
                }
            }
        }
        try (BufferedWriter rel = writer(terminology.resolve("sct2_Relationship_Snapshot" + suffix))) {
            rel.write("id\teffectiveTime\tactive\tmoduleId\tsourceId\tdestinationId\trelationshipGroup\ttypeId"
                    + "\tcharacteristicTypeId\tmodifierId\r\n");
            long relationshipItem = 4_000_000;
            for (int c = 1; c < n; c++) {
                if (inactive[c]) {
                    continue;
                }
                int p = parent[c];
                while (inactive[p]) {
                    p = parent[p];
                }
                rel.write(relationship(Sctid.of(relationshipItem++, 0, Sctid.Partition.RELATIONSHIP), ids[c], ids[p], 0, IS_A));
                relationships++;
                int q = secondParent[c];
                if (q >= 0 && !inactive[q]) {
                    rel.write(relationship(Sctid.of(relationshipItem++, 0, Sctid.Partition.RELATIONSHIP), ids[c], ids[q], 0, IS_A));
                    relationships++;
                }
                if (c >= firstTop + HIERARCHIES) {
                    int attributes = random.nextInt(10);
                    for (int a = 0; a < attributes; a++) {
                        int destination = firstTop + HIERARCHIES + random.nextInt(n - firstTop - HIERARCHIES);
                        if (inactive[destination]) {
                            continue;
                        }
                        int type = firstType + 1 + (int) Math.floor(Math.pow(ATTRIBUTE_TYPES - 1, random.nextDouble())) - 1;
                        rel.write(relationship(Sctid.of(relationshipItem++, 0, Sctid.Partition.RELATIONSHIP), ids[c],
                                ids[destination], a / 3, ids[type]));
                        relationships++;
                    }
                }
            }
        }
        try (BufferedWriter simple = writer(content.resolve("der2_Refset_SimpleSnapshot" + suffix));
             BufferedWriter association = writer(content.resolve("der2_cRefset_AssociationSnapshot" + suffix))) {
            simple.write("id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\r\n");
            association.write("id\teffectiveTime\tactive\tmoduleId\trefsetId\treferencedComponentId\ttargetComponentId\r\n");
            long member = 50_000_000;
            for (int r = 0; r < REFSETS; r++) {
                for (int k = 0; k < 5_000; k++) {
                    int c = firstTop + random.nextInt(n - firstTop);
                    if (!inactive[c]) {
                        simple.write(uuid(++member) + "\t" + date + "\t1\t" + MODULE + "\t" + ids[firstRefset + r] + "\t"
                                + ids[c] + "\r\n");
                    }
                }
            }
            for (int c = 0; c < n; c++) {
                if (inactive[c]) {
                    int target = parent[c];
                    while (inactive[target]) {
                        target = parent[target];
                    }
                    association.write(uuid(++member) + "\t" + date + "\t1\t" + MODULE + "\t" + REPLACED_BY + "\t" + ids[c]
                            + "\t" + ids[target] + "\r\n");
                }
            }
        }
        int largest = firstTop;
        return new Summary(n, descriptions, relationships, topLevel, ids[largest]);
    }

    private static String relationship(long id, long source, long destination, int group, long type) {
        return id + "\t20250401\t1\t" + MODULE + "\t" + source + "\t" + destination + "\t" + group + "\t" + type + "\t"
                + INFERRED + "\t" + EXISTENTIAL + "\r\n";
    }

    private static String uuid(long n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static BufferedWriter writer(Path path) throws IOException {
        return Files.newBufferedWriter(path, StandardCharsets.UTF_8);
    }

    /** A growable int array. */
    private static final class IntArray {
        private int[] values = new int[16];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }
    }
}
