package org.charnwood.scheduling.travel;

import java.util.List;

/**
 * An {@link AreaLookup} from a list of towns: inside a town's urban radius is urban, inside its suburban radius is
 * suburban, anywhere else is rural. A crude stand-in for a density classification that needs no data file.
 */
public record TownCentres(List<Town> towns) implements AreaLookup {

    /** A town: its centre and the radii, in kilometres, of its built-up core and of its suburbs. */
    public record Town(String name, GeoPoint centre, double urbanKilometres, double suburbanKilometres) {
    }

    public TownCentres {
        towns = List.copyOf(towns);
    }

    /** Leicester and the market towns of Leicestershire and Rutland. */
    public static TownCentres leicestershire() {
        return new TownCentres(List.of(
                new Town("Leicester", new GeoPoint(52.6369, -1.1398), 4.0, 8.0),
                new Town("Loughborough", new GeoPoint(52.7721, -1.2062), 2.0, 3.5),
                new Town("Hinckley", new GeoPoint(52.5413, -1.3725), 1.8, 3.0),
                new Town("Coalville", new GeoPoint(52.7219, -1.3707), 1.5, 2.8),
                new Town("Melton Mowbray", new GeoPoint(52.7661, -0.8866), 1.3, 2.5),
                new Town("Market Harborough", new GeoPoint(52.4775, -0.9206), 1.3, 2.5),
                new Town("Lutterworth", new GeoPoint(52.4556, -1.2000), 0.8, 1.6),
                new Town("Oakham", new GeoPoint(52.6705, -0.7279), 0.8, 1.6),
                new Town("Shepshed", new GeoPoint(52.7647, -1.2937), 0.8, 1.6),
                new Town("Ashby-de-la-Zouch", new GeoPoint(52.7460, -1.4760), 0.8, 1.6)));
    }

    @Override
    public AreaType areaAt(GeoPoint point) {
        AreaType best = AreaType.RURAL;
        for (Town town : towns) {
            double km = town.centre().metresTo(point) / 1000;
            if (km <= town.urbanKilometres()) {
                return AreaType.URBAN;
            }
            if (km <= town.suburbanKilometres()) {
                best = AreaType.SUBURBAN;
            }
        }
        return best;
    }
}
