package org.charnwood.demo;

import java.util.List;

/**
 * The places the trust serves, grouped as its community teams are: each has real postcode districts of
 * Leicester, Leicestershire and Rutland with a main town for each, and road names found there. Generated
 * addresses put an invented house number and postcode unit on these.
 */
public enum Locality {
    LEICESTER_CITY("leicester-city", "Leicester City", "LEICESTER", "Leicestershire", true,
            List.of(new District("LE1", "LEICESTER"), new District("LE2", "LEICESTER"),
                    new District("LE3", "LEICESTER"), new District("LE4", "LEICESTER"),
                    new District("LE5", "LEICESTER")),
            List.of("Narborough Road", "Belgrave Road", "Evington Road", "Aylestone Road", "London Road",
                    "Hinckley Road", "Melton Road", "Uppingham Road", "Saffron Lane", "Welford Road",
                    "Humberstone Road", "St Saviours Road", "Catherine Street", "Loughborough Road",
                    "Fosse Road North", "Green Lane Road", "East Park Road", "Braunstone Lane")),
    CHARNWOOD("charnwood", "Charnwood", "LOUGHBOROUGH", "Leicestershire", false,
            List.of(new District("LE11", "LOUGHBOROUGH"), new District("LE12", "SHEPSHED"),
                    new District("LE7", "SYSTON")),
            List.of("Ashby Road", "Forest Road", "Nottingham Road", "Derby Road", "Leicester Road",
                    "Park Road", "Storer Road", "Epinal Way", "Charnwood Road", "Melton Road",
                    "Fosse Way", "Barrow Road")),
    NORTH_WEST_LEICESTERSHIRE("north-west-leicestershire", "North West Leicestershire", "COALVILLE",
            "Leicestershire", false,
            List.of(new District("LE67", "COALVILLE"), new District("LE65", "ASHBY-DE-LA-ZOUCH")),
            List.of("Belvoir Road", "Ashby Road", "London Road", "Market Street", "Bardon Road",
                    "Whitwick Road", "Tamworth Road", "Burton Road", "Station Road")),
    HINCKLEY_AND_BOSWORTH("hinckley-and-bosworth", "Hinckley and Bosworth", "HINCKLEY", "Leicestershire", false,
            List.of(new District("LE10", "HINCKLEY"), new District("LE9", "EARL SHILTON"),
                    new District("LE6", "MARKFIELD")),
            List.of("Coventry Road", "Rugby Road", "Ashby Road", "Leicester Road", "Burbage Road",
                    "Station Road", "Castle Street", "Wood Street", "Main Street")),
    MELTON("melton", "Melton", "MELTON MOWBRAY", "Leicestershire", false,
            List.of(new District("LE13", "MELTON MOWBRAY"), new District("LE14", "MELTON MOWBRAY")),
            List.of("Burton Road", "Scalford Road", "Nottingham Road", "Asfordby Road", "Sandy Lane",
                    "Kings Road", "Thorpe Road", "Leicester Road")),
    HARBOROUGH("harborough", "Harborough", "MARKET HARBOROUGH", "Leicestershire", false,
            List.of(new District("LE16", "MARKET HARBOROUGH"), new District("LE17", "LUTTERWORTH"),
                    new District("LE8", "FLECKNEY")),
            List.of("Northampton Road", "Leicester Road", "Coventry Road", "Rockingham Road",
                    "Kettering Road", "Lubenham Hill", "Bitteswell Road", "Station Road")),
    BLABY_OADBY_WIGSTON("blaby-oadby-wigston", "Blaby, Oadby and Wigston", "WIGSTON", "Leicestershire", false,
            List.of(new District("LE18", "WIGSTON"), new District("LE19", "ENDERBY"),
                    new District("LE2", "OADBY")),
            List.of("Leicester Road", "Bull Head Street", "Blaby Road", "Mill Lane", "Station Road",
                    "Harborough Road", "Glen Road", "Launde Road")),
    RUTLAND("rutland", "Rutland", "OAKHAM", "Rutland", false,
            List.of(new District("LE15", "OAKHAM"), new District("LE15", "UPPINGHAM"),
                    new District("PE9", "KETTON")),
            List.of("Cold Overton Road", "Braunston Road", "Barleythorpe Road", "Burley Road",
                    "Station Road", "Stockerston Road", "Ayston Road", "High Street"));

    /** Road names common to every town, mixed in so that streets repeat as they do in real address lists. */
    static final List<String> COMMON_STREETS = List.of("High Street", "Church Street", "Main Street", "Mill Lane",
            "School Lane", "Victoria Road", "Queens Road", "The Green", "Orchard Close", "Meadow Way",
            "Chestnut Avenue", "Windsor Crescent", "Manor Road", "Springfield Road", "Beech Drive");

    private final String slug;
    private final String label;
    private final String mainTown;
    private final String county;
    private final boolean city;
    private final List<District> districts;
    private final List<String> streets;

    Locality(String slug, String label, String mainTown, String county, boolean city, List<District> districts,
             List<String> streets) {
        this.slug = slug;
        this.label = label;
        this.mainTown = mainTown;
        this.county = county;
        this.city = city;
        this.districts = districts;
        this.streets = streets;
    }

    public String slug() {
        return slug;
    }

    public String label() {
        return label;
    }

    public String mainTown() {
        return mainTown;
    }

    public String county() {
        return county;
    }

    /** Leicester city has a far more diverse population than the county; names and ethnicity follow that. */
    public boolean isCity() {
        return city;
    }

    public List<District> districts() {
        return districts;
    }

    public List<String> streets() {
        return streets;
    }

    /** Every postcode district any locality uses, for checking generated addresses. */
    public static List<String> allPostcodeDistricts() {
        return java.util.Arrays.stream(values()).flatMap(l -> l.districts.stream()).map(District::outward)
                .distinct().sorted().toList();
    }

    /** A postcode district (outward code) and the post town it belongs to. */
    public record District(String outward, String town) {
    }
}
