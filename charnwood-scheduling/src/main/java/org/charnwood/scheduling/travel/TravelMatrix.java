package org.charnwood.scheduling.travel;

import java.time.LocalDateTime;
import java.util.List;

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

    private TravelMatrix(int size, int[] seconds, int[] metres) {
        this.size = size;
        this.seconds = seconds;
        this.metres = metres;
    }

    public static TravelMatrix of(List<GeoPoint> places, TravelTimes travel, LocalDateTime departure) {
        int n = places.size();
        int[] seconds = new int[n * n];
        int[] metres = new int[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    Leg leg = travel.leg(places.get(i), places.get(j), departure);
                    seconds[i * n + j] = Math.toIntExact(leg.duration().toSeconds());
                    metres[i * n + j] = (int) Math.round(leg.metres());
                }
            }
        }
        return new TravelMatrix(n, seconds, metres);
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
