package org.charnwood.demo;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A ten-digit NHS number, checked with Modulus 11. Synthetic ones come only from the 999 range, which is
 * reserved for test data and never issued to a patient.
 *
 * <p>{@link #testNumber(long, int)} maps a dataset seed and a patient index to a number so that every patient
 * of one dataset (up to {@link #TEST_RANGE_CAPACITY} of them) gets a different number, without keeping a set of
 * numbers already used: the index is scrambled by an affine bijection chosen from the seed, its five low
 * digits become digits 4–8, and digit 9 is picked from a pair reserved for the index's "block" so that the
 * Modulus 11 remainder is never the one that has no check digit.
 */
public record NhsNumber(String value) {

    private static final Pattern TEN_ASCII_DIGITS = Pattern.compile("[0-9]{10}");
    /** How many distinct test numbers {@link #testNumber} can give one dataset. */
    public static final int TEST_RANGE_CAPACITY = 500_000;
    private static final int BLOCK = 100_000;

    public NhsNumber {
        Objects.requireNonNull(value, "value");
        if (!isValid(value)) {
            throw new IllegalArgumentException("Not a valid NHS number: " + value);
        }
    }

    /** True when {@code candidate} is ten ASCII digits whose last is the Modulus 11 check digit of the first nine. */
    public static boolean isValid(String candidate) {
        if (candidate == null || !TEN_ASCII_DIGITS.matcher(candidate).matches()) {
            return false;
        }
        int check = checkDigit(candidate.substring(0, 9));
        return check >= 0 && check == candidate.charAt(9) - '0';
    }

    /** The Modulus 11 check digit for a nine-digit stem, or -1 when the stem can never be a valid number. */
    static int checkDigit(String stem) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (stem.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 11) {
            return 0;
        }
        return check == 10 ? -1 : check;
    }

    /** The test-range (999…) number of patient {@code index} in the dataset made from {@code seed}. */
    public static NhsNumber testNumber(long seed, int index) {
        if (index < 0 || index >= TEST_RANGE_CAPACITY) {
            throw new IllegalArgumentException("A dataset holds at most " + TEST_RANGE_CAPACITY
                    + " synthetic NHS numbers; index " + index + " is outside that");
        }
        long scrambled = (multiplier(seed) * index + Math.floorMod(seed * 31 + 7, TEST_RANGE_CAPACITY))
                % TEST_RANGE_CAPACITY;
        int low = (int) (scrambled % BLOCK);
        int block = (int) (scrambled / BLOCK);
        String digits4to8 = String.format("%05d", low);
        for (int ninth = 2 * block; ninth <= 2 * block + 1; ninth++) {
            String stem = "999" + digits4to8 + ninth;
            int check = checkDigit(stem);
            if (check >= 0) {
                return new NhsNumber(stem + check);
            }
        }
        // Weight 2 on digit 9 gives the two candidates different remainders, so at most one is unusable.
        throw new IllegalStateException("unreachable: both ninth-digit candidates failed for " + index);
    }

    /** An odd multiplier not divisible by 5, so that it is coprime to 500,000 and the mapping is a bijection. */
    private static long multiplier(long seed) {
        long m = Math.floorMod(seed * 6364136223846793005L + 1442695040888963407L, TEST_RANGE_CAPACITY);
        m |= 1;
        while (m % 5 == 0) {
            m += 2;
        }
        return m % TEST_RANGE_CAPACITY;
    }

    /** The number as people read it: 3-3-4 groups, for example {@code 999 000 0018}. */
    public String display() {
        return value.substring(0, 3) + " " + value.substring(3, 6) + " " + value.substring(6);
    }

    @Override
    public String toString() {
        return value;
    }
}
