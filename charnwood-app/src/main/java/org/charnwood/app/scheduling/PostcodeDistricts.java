package org.charnwood.app.scheduling;

import org.charnwood.scheduling.travel.GeoPoint;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Leicester, Leicestershire or Rutland postcode is, to the nearest town: the approximate centre of its
 * postcode district, spread by up to about a kilometre by a hash of the whole postcode so that neighbours do not
 * share one point. Good enough for travel estimates until addresses carry coordinates (FHIR {@code Location.position}
 * or a geolocation extension on the address), which are always preferred.
 */
final class PostcodeDistricts {

    private static final Map<String, GeoPoint> CENTRES = Map.ofEntries(
            Map.entry("LE1", new GeoPoint(52.6345, -1.1310)),
            Map.entry("LE2", new GeoPoint(52.6100, -1.1100)),
            Map.entry("LE3", new GeoPoint(52.6300, -1.1800)),
            Map.entry("LE4", new GeoPoint(52.6650, -1.1250)),
            Map.entry("LE5", new GeoPoint(52.6350, -1.0800)),
            Map.entry("LE6", new GeoPoint(52.6850, -1.2800)),
            Map.entry("LE7", new GeoPoint(52.6990, -1.0770)),
            Map.entry("LE8", new GeoPoint(52.5400, -1.0900)),
            Map.entry("LE9", new GeoPoint(52.5700, -1.3000)),
            Map.entry("LE10", new GeoPoint(52.5413, -1.3725)),
            Map.entry("LE11", new GeoPoint(52.7721, -1.2062)),
            Map.entry("LE12", new GeoPoint(52.7650, -1.2000)),
            Map.entry("LE13", new GeoPoint(52.7661, -0.8866)),
            Map.entry("LE14", new GeoPoint(52.8000, -0.9200)),
            Map.entry("LE15", new GeoPoint(52.6705, -0.7279)),
            Map.entry("LE16", new GeoPoint(52.4775, -0.9206)),
            Map.entry("LE17", new GeoPoint(52.4556, -1.2000)),
            Map.entry("LE18", new GeoPoint(52.5869, -1.1033)),
            Map.entry("LE19", new GeoPoint(52.5900, -1.2000)),
            Map.entry("LE65", new GeoPoint(52.7460, -1.4760)),
            Map.entry("LE67", new GeoPoint(52.7219, -1.3707)),
            Map.entry("PE9", new GeoPoint(52.6530, -0.4800)));

    private PostcodeDistricts() {
    }

    static Optional<GeoPoint> locate(String postcode) {
        if (postcode == null || postcode.isBlank()) {
            return Optional.empty();
        }
        String normal = postcode.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        String district = normal.contains(" ") ? normal.substring(0, normal.indexOf(' '))
                : normal.length() > 3 ? normal.substring(0, normal.length() - 3) : normal;
        GeoPoint centre = CENTRES.get(district);
        if (centre == null) {
            return Optional.empty();
        }
        int hash = normal.hashCode();
        double north = ((hash & 0xFF) / 255.0 - 0.5) * 0.018;
        double east = (((hash >> 8) & 0xFF) / 255.0 - 0.5) * 0.028;
        return Optional.of(new GeoPoint(centre.latitude() + north, centre.longitude() + east));
    }
}
