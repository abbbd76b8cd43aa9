package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.StringType;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code phonetic} parameter of Patient, Practitioner, Person and RelatedPerson: "a portion of either family or
 * given name using some kind of phonetic matching algorithm" (R4). The algorithm here is Soundex: a name part is kept
 * as its first letter and the sounds of the consonants after it ({@code Smith}, {@code Smyth} and {@code Smithe} are
 * all {@code s530}), and a search value matches the parts that sound the same. Each family and given name is indexed
 * as the Soundex of each of its words and, when it has several ({@code Da Silva}), of the whole of it; a search value
 * is read as one name, its letters together. Accents are ignored, as in other string searches, and characters that
 * are not the letters a to z then are left out.
 */
final class Phonetic {

    static final String CODE = "phonetic";
    /** The Soundex digit of each letter a to z; '0' for vowels, h, w and y, which have none. */
    private static final String DIGITS = "01230120022455012623010202";

    private Phonetic() {
    }

    /** Whether the definition is the phonetic parameter, indexed and matched by sound rather than as written. */
    static boolean is(SearchParameterDefinition def) {
        return def != null && CODE.equals(def.code()) && def.type() == SearchParamType.STRING;
    }

    /** The codes a HumanName is found by: of each family and given name, each word's and the whole name's. */
    static List<String> codes(Base value) {
        List<String> out = new ArrayList<>(3);
        if (value instanceof HumanName name) {
            add(out, name.getFamily());
            for (StringType given : name.getGiven()) {
                add(out, given.getValue());
            }
        }
        return out;
    }

    private static void add(List<String> out, String part) {
        if (part == null) {
            return;
        }
        String[] words = SearchText.whole(part).split("[^a-z]+");
        int count = 0;
        for (String word : words) {
            if (!word.isEmpty()) {
                out.add(soundex(word));
                count++;
            }
        }
        if (count > 1) {
            out.add(soundex(String.join("", words)));
        }
    }

    /** The code a search value matches; {@link IllegalArgumentException} when it has no letter to sound. */
    static String searchCode(String value) {
        String letters = SearchText.whole(value).replaceAll("[^a-z]+", "");
        if (letters.isEmpty()) {
            throw new IllegalArgumentException("'" + value + "' has no letters a to z to match by sound");
        }
        return soundex(letters);
    }

    /**
     * American Soundex of letters a to z: the first letter, then up to three digits for the consonants after it.
     * Letters with the same digit side by side count once, also when only h or w stands between them; a vowel
     * between them makes them count twice.
     */
    static String soundex(String letters) {
        StringBuilder code = new StringBuilder(4).append(letters.charAt(0));
        char last = digit(letters.charAt(0));
        for (int i = 1; i < letters.length() && code.length() < 4; i++) {
            char c = letters.charAt(i);
            char d = digit(c);
            if (d != '0') {
                if (d != last) {
                    code.append(d);
                }
                last = d;
            } else if (c != 'h' && c != 'w') {
                last = '0';
            }
        }
        while (code.length() < 4) {
            code.append('0');
        }
        return code.toString();
    }

    private static char digit(char letter) {
        return DIGITS.charAt(letter - 'a');
    }
}
