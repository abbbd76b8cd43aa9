package org.charnwood.fhir.validation;

import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks UCUM unit codes ({@code http://unitsofmeasure.org}) with the UCUM library HAPI uses, so a
 * unit HAPI's validator refuses is refused here too. The unit table is read once; answers are
 * remembered, since resources repeat a small number of units.
 */
final class UcumUnits {
    static final String SYSTEM = "http://unitsofmeasure.org";
    /** Unit codes come from the resources being validated: remember only so many. */
    private static final int REMEMBERED = 10_000;

    private final UcumEssenceService service;
    private final Map<String, Optional<String>> problems = new ConcurrentHashMap<>();

    UcumUnits() {
        try (InputStream in = UcumUnits.class.getResourceAsStream("/ucum-essence.xml")) {
            if (in == null) {
                throw new IllegalStateException("The UCUM unit table (ucum-essence.xml) is not on the classpath");
            }
            this.service = new UcumEssenceService(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UcumException e) {
            throw new IllegalStateException("The UCUM unit table cannot be read", e);
        }
    }

    /** Why the unit is not valid UCUM, or null when it is. */
    String problem(String unit) {
        Optional<String> known = problems.get(unit);
        if (known == null) {
            known = Optional.ofNullable(analyse(unit));
            if (problems.size() < REMEMBERED) {
                problems.put(unit, known);
            }
        }
        return known.orElse(null);
    }

    private String analyse(String unit) {
        try {
            synchronized (service) {
                service.analyse(unit);
            }
            return null;
        } catch (UcumException | RuntimeException e) {
            return e.getMessage() == null ? "it is not a UCUM unit" : e.getMessage();
        }
    }
}
