package org.charnwood.demo;

import java.time.LocalDate;
import java.util.List;

/**
 * Who a synthetic patient is before any FHIR is written: name, sex, birth date, heritage, home and GP.
 * Drawn by {@link #draw} from a patient's dice so the same index and seed always give the same person.
 */
record Person(String given, String middle, String family, boolean female, LocalDate birthDate, Heritage heritage,
              Heritage ethnicCategory, Locality locality, String street, String town, String postcode,
              TrustShape.Practice practice, String mobile, String landline, String language, String languageName) {

    private static final int[] LOCALITY_WEIGHTS = {37, 19, 10, 11, 5, 10, 16, 4};

    static Person draw(Dice dice, TrustShape trust, CareProfile profile, LocalDate today) {
        boolean female = dice.chance(profile.femaleShare());
        int age = dice.between(profile.minAge(), profile.maxAge());
        LocalDate birthDate = today.minusYears(age).minusDays(dice.between(0, 364));
        return draw(dice, trust, female, birthDate, today);
    }

    /** A person of the given sex and birth date, living somewhere in LLR: used to anglicise imported records. */
    static Person draw(Dice dice, TrustShape trust, boolean female, LocalDate birthDate, LocalDate today) {
        Locality locality = dice.weighted(List.of(Locality.values()), l -> LOCALITY_WEIGHTS[l.ordinal()]);
        return draw(dice, trust, locality, female, birthDate, today);
    }

    /** A person of the given sex and birth date living in {@code locality}, registered with a practice there. */
    static Person draw(Dice dice, TrustShape trust, Locality locality, boolean female, LocalDate birthDate,
                       LocalDate today) {
        int age = java.time.Period.between(birthDate, today).getYears();
        Heritage ethnic = dice.weighted(List.of(Heritage.values()), h -> h.weight(locality.isCity()));
        Heritage names = ethnic.hasNames() ? ethnic
                : dice.weighted(List.of(Heritage.values()), h -> h.hasNames() ? h.weight(locality.isCity()) : 0);
        String given = dice.pick(names.given(female));
        String middle = dice.chance(0.4) ? dice.pick(names.given(female)) : null;
        if (given.equals(middle)) {
            middle = null;
        }
        // People of mixed heritage often carry a family name from another pool.
        Heritage familyPool = ethnic == Heritage.MIXED && dice.chance(0.5) ? Heritage.WHITE_BRITISH : names;
        String family = dice.pick(familyPool.family());
        Locality.District district = dice.pick(locality.districts());
        String street = dice.between(1, 180) + " " + (dice.chance(0.7) ? dice.pick(locality.streets())
                : dice.pick(Locality.COMMON_STREETS));
        String postcode = district.outward() + " " + dice.between(0, 9)
                + dice.letter(TrustShapeGenerator.POSTCODE_UNIT_LETTERS)
                + dice.letter(TrustShapeGenerator.POSTCODE_UNIT_LETTERS);
        List<TrustShape.Practice> practices = trust.practicesIn(locality);
        TrustShape.Practice practice = dice.pick(practices);
        // Ofcom reserves 07700 900000-900999 and 0116 496 0000-0999 for drama: never a real subscriber.
        String mobile = age >= 12 && dice.chance(0.85) ? String.format("07700 900%03d", dice.between(0, 999)) : null;
        String landline = mobile == null || dice.chance(0.3)
                ? String.format("0116 496 0%03d", dice.between(0, 999)) : null;
        String[] language = language(dice, names);
        return new Person(given, middle, family, female, birthDate, names, ethnic, locality, street, district.town(),
                postcode, practice, mobile, landline, language[0], language[1]);
    }

    /** Most patients prefer English; some older people of South Asian, Somali or Polish heritage do not. */
    private static String[] language(Dice dice, Heritage heritage) {
        return switch (heritage) {
            case INDIAN -> dice.chance(0.15) ? (dice.chance(0.6) ? new String[]{"gu", "Gujarati"}
                    : new String[]{"pa", "Punjabi"}) : english();
            case BLACK_AFRICAN -> dice.chance(0.12) ? new String[]{"so", "Somali"} : english();
            case WHITE_OTHER -> dice.chance(0.15) ? new String[]{"pl", "Polish"} : english();
            case PAKISTANI -> dice.chance(0.1) ? new String[]{"ur", "Urdu"} : english();
            default -> english();
        };
    }

    private static String[] english() {
        return new String[]{"en-GB", "English (United Kingdom)"};
    }

    int ageOn(LocalDate date) {
        return java.time.Period.between(birthDate, date).getYears();
    }

    String fullName() {
        return given + " " + family;
    }
}
