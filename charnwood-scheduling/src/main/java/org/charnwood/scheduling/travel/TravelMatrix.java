package org.charnwood.scheduling.travel;

import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Travel between every pair of a problem's places, asked of a {@link TravelTimes} once before solving: the solver
 * looks legs up millions of times and must never wait on a routing engine. Places are numbered by their position in
 * the list the matrix was built from. Departure times are fixed at one moment of the day, so a time-dependent engine
 * contributes its typical daytime figures.
 */
public final class TravelMatrix {

    private final int size;
    private final int[] seconds;
    private final int[] metres;
    private final List<GeoPoint> places;
    private final TravelTimes travel;
    private final LocalDateTime departure;

    private TravelMatrix(int size, int[] seconds, int[] metres, List<GeoPoint> places, TravelTimes travel,
                         LocalDateTime departure) {
        this.size = size;
        this.seconds = seconds;
        this.metres = metres;
        this.places = places;
        this.travel = travel;
        this.departure = departure;
    }

    public static TravelMatrix of(List<GeoPoint> places, TravelTimes travel, LocalDateTime departure) {
        return of(places, travel, departure, null);
    }

    /**
     * As {@link #of(List, TravelTimes, LocalDateTime)}, but legs between places {@code known} already has (asked of the
     * same travel times for the same departure) are copied rather than asked again. A replan during the day adds a
     * visit or two to a day whose legs were all asked for in the morning: at 1,000 visits that is 1.2 million legs
     * not recomputed.
     */
    public static TravelMatrix of(List<GeoPoint> places, TravelTimes travel, LocalDateTime departure,
                                  TravelMatrix known) {
        int n = places.size();
        int[] seconds = new int[n * n];
        int[] metres = new int[n * n];
        int[] knownIndex = new int[n];
        boolean reuse = known != null && known.travel == travel && java.util.Objects.equals(known.departure, departure);
        if (reuse) {
            Map<GeoPoint, Integer> index = new HashMap<>();
            for (int i = 0; i < known.places.size(); i++) {
                index.putIfAbsent(known.places.get(i), i);
            }
            for (int i = 0; i < n; i++) {
                knownIndex[i] = index.getOrDefault(places.get(i), -1);
            }
        } else {
            java.util.Arrays.fill(knownIndex, -1);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                if (knownIndex[i] >= 0 && knownIndex[j] >= 0 && knownIndex[i] != knownIndex[j]) {
                    seconds[i * n + j] = known.seconds(knownIndex[i], knownIndex[j]);
                    metres[i * n + j] = known.metres(knownIndex[i], knownIndex[j]);
                } else {
                    Leg leg = travel.leg(places.get(i), places.get(j), departure);
                    seconds[i * n + j] = Math.toIntExact(leg.duration().toSeconds());
                    metres[i * n + j] = (int) Math.round(leg.metres());
                }
            }
        }
        return new TravelMatrix(n, seconds, metres, List.copyOf(places), travel, departure);
    }

    public int size() {
        return size;
    }

    public int seconds(int from, int to) {
        return seconds[from * size + to];
    }

    public int metres(int from, int to) {
        return metres[from * size + to];
    }
}
