package org.charnwood.app.workspace;

import java.util.ArrayList;
import java.util.List;

/**
 * A NEWS2 trend drawn as inline SVG on the server, so it shows without JavaScript: scores over time, oldest on
 * the left, with the medium (5) and high (7) thresholds marked. The same points are given as a table for
 * people who cannot see the chart.
 *
 * @param points    oldest first
 * @param width     the drawing width in SVG units
 * @param height    the drawing height
 * @param polyline  the SVG {@code points} attribute of the line
 * @param dots      where each score sits
 * @param mediumY   the y of the score-5 line
 * @param highY     the y of the score-7 line
 */
record News2Trend(List<News2Point> points, int width, int height, String polyline, List<Dot> dots,
                  double mediumY, double highY) {

    /** One plotted score. */
    record Dot(double x, double y, News2Point point) {
    }

    private static final int MAX_SCORE = 20;

    static News2Trend of(List<News2Point> oldestFirst, int width, int height, int pad) {
        List<Dot> dots = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int n = oldestFirst.size();
        for (int i = 0; i < n; i++) {
            double x = n == 1 ? width / 2.0 : pad + (width - 2.0 * pad) * i / (n - 1);
            double y = y(oldestFirst.get(i).total(), height, pad);
            dots.add(new Dot(round(x), round(y), oldestFirst.get(i)));
            line.append(i == 0 ? "" : " ").append(round(x)).append(',').append(round(y));
        }
        return new News2Trend(List.copyOf(oldestFirst), width, height, line.toString(), dots,
                round(y(5, height, pad)), round(y(7, height, pad)));
    }

    public boolean isEmpty() {
        return points.isEmpty();
    }

    /** A sentence describing the trend, for the chart's description. */
    public String description() {
        if (points.isEmpty()) {
            return "No NEWS2 scores recorded.";
        }
        News2Point first = points.get(0);
        News2Point last = points.get(points.size() - 1);
        return points.size() + " NEWS2 scores from " + first.when() + " to " + last.when() + ": first "
                + first.total() + ", latest " + last.total() + " (" + last.riskLabel() + " clinical risk).";
    }

    private static double y(int score, int height, int pad) {
        return height - pad - (height - 2.0 * pad) * Math.min(score, MAX_SCORE) / MAX_SCORE;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
