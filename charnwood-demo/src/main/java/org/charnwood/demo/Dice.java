package org.charnwood.demo;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * The one source of chance for a generated record. Each patient gets its own, split from the dataset seed and
 * the patient's index, so patient 17 is the same whether it is generated alone, in order or in parallel.
 */
final class Dice {
    private final SplittableRandom random;

    Dice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A seed for item {@code index} of the dataset made from {@code seed}, well mixed so neighbours differ. */
    static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    int between(int min, int max) {
        return max <= min ? min : min + random.nextInt(max - min + 1);
    }

    double between(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    double gaussian(double mean, double sd) {
        return mean + random.nextGaussian() * sd;
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    <T> T weighted(List<T> items, ToIntFunction<T> weight) {
        int total = 0;
        for (T item : items) {
            total += weight.applyAsInt(item);
        }
        int roll = random.nextInt(total);
        for (T item : items) {
            roll -= weight.applyAsInt(item);
            if (roll < 0) {
                return item;
            }
        }
        return items.get(items.size() - 1);
    }

    /** A version-4-shaped UUID drawn from this dice, so ids repeat exactly for the same seed. */
    String uuid() {
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }

    char letter(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
