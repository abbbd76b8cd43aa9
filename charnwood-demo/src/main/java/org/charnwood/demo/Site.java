package org.charnwood.demo;

import java.util.List;

/**
 * The trust's hospitals and bases, each a Location with the stable id {@code Location/<id>}. Town names and
 * hospital names are real places in Leicestershire and Rutland; the ODS site codes (the trust code plus two
 * digits) are fictional. Wards are listed with their bed counts; a ward's id is
 * {@code ward-<site slug>-<n>} and its beds {@code bed-<site slug>-<n>-<bb>}.
 */
public enum Site {
    LOUGHBOROUGH("loughborough", "Loughborough Community Hospital", "Epinal Way", "LOUGHBOROUGH", "LE11 5JY",
            Locality.CHARNWOOD, false, List.of(new WardPlan("Swithland Ward", 20), new WardPlan("Charnwood Ward", 16))),
    MELTON_MOWBRAY("melton", "Melton Mowbray Hospital", "Thorpe Road", "MELTON MOWBRAY", "LE13 1SJ",
            Locality.MELTON, false, List.of(new WardPlan("Wreake Ward", 14))),
    HINCKLEY("hinckley", "Hinckley Community Hospital", "Mount Road", "HINCKLEY", "LE10 1AG",
            Locality.HINCKLEY_AND_BOSWORTH, false, List.of(new WardPlan("Sence Ward", 16))),
    RUTLAND_MEMORIAL("rutland", "Rutland Memorial Hospital", "Cold Overton Road", "OAKHAM", "LE15 6NT",
            Locality.RUTLAND, false, List.of(new WardPlan("Welland Ward", 12))),
    COALVILLE("coalville", "Coalville Community Hospital", "Broom Leys Road", "COALVILLE", "LE67 4DE",
            Locality.NORTH_WEST_LEICESTERSHIRE, false, List.of(new WardPlan("Ellistown Ward", 16))),
    ST_LUKES("st-lukes", "St Luke's Hospital", "Leicester Road", "MARKET HARBOROUGH", "LE16 7BN",
            Locality.HARBOROUGH, false, List.of(new WardPlan("Langton Ward", 12))),
    LEICESTER_MENTAL_HEALTH_UNIT("leicester-mhu", "Leicester Mental Health Unit", "Groby Road", "LEICESTER",
            "LE3 9EJ", Locality.LEICESTER_CITY, true,
            List.of(new WardPlan("Beacon Ward", 16), new WardPlan("Soar Ward", 16), new WardPlan("Quorn Ward", 14),
                    new WardPlan("Kirby Ward (Psychiatric Intensive Care)", 8))),
    LEICESTER_COMMUNITY_HUB("leicester-hub", "Leicester City Community Health Centre", "Charles Street",
            "LEICESTER", "LE1 3FG", Locality.LEICESTER_CITY, false, List.of()),
    WIGSTON_HEALTH_CENTRE("wigston", "Wigston Health Centre", "Bull Head Street", "WIGSTON", "LE18 1PB",
            Locality.BLABY_OADBY_WIGSTON, false, List.of());

    private final String slug;
    private final String label;
    private final String street;
    private final String town;
    private final String postcode;
    private final Locality locality;
    private final boolean mentalHealth;
    private final List<WardPlan> wards;

    Site(String slug, String label, String street, String town, String postcode, Locality locality,
         boolean mentalHealth, List<WardPlan> wards) {
        this.slug = slug;
        this.label = label;
        this.street = street;
        this.town = town;
        this.postcode = postcode;
        this.locality = locality;
        this.mentalHealth = mentalHealth;
        this.wards = wards;
    }

    /** Stable logical id of the site's Location. */
    public String locationId() {
        return "site-" + slug;
    }

    public String slug() {
        return slug;
    }

    public String label() {
        return label;
    }

    public String street() {
        return street;
    }

    public String town() {
        return town;
    }

    public String postcode() {
        return postcode;
    }

    public Locality locality() {
        return locality;
    }

    public boolean mentalHealth() {
        return mentalHealth;
    }

    public List<WardPlan> wards() {
        return wards;
    }

    /** The ODS-style site code: trust code plus the site's two-digit number. Fictional. */
    public String odsSiteCode() {
        return TrustShape.TRUST_ODS_CODE + String.format("%02d", ordinal() + 1);
    }

    /** The base a community team in {@code locality} works from. */
    public static Site baseFor(Locality locality) {
        for (Site site : values()) {
            if (site.locality == locality && !site.mentalHealth) {
                return site;
            }
        }
        return LEICESTER_COMMUNITY_HUB;
    }

    /** A ward as planned: its name and how many beds it has. */
    public record WardPlan(String name, int beds) {
    }
}
