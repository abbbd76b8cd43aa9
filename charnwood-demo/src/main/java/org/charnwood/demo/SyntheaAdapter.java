package org.charnwood.demo;

import ca.uhn.fhir.parser.IParser;
import org.charnwood.fhir.FhirContexts;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Makes Synthea's US-shaped patient bundles English, keeping their clinical content:
 * <ul>
 *   <li>the patient gets a 999-range NHS number, a name of the area's communities (Synthea's numbered names
 *       are not realistic), a home in Leicester, Leicestershire or Rutland, UK phone numbers, a registered
 *       practice and a UK Core ethnic category; sex and birth date are kept;</li>
 *   <li>US identifiers (social security, driver's licence, passport, the Synthea hospital MRN) are removed;</li>
 *   <li>US-only extensions (US Core race, ethnicity and birth sex, birthplace, mother's maiden name, geolocation
 *       of US addresses, Synthea's quality-adjusted life years) and US Core profiles and code systems are
 *       dropped;</li>
 *   <li>US claims and explanations of benefit are dropped, with any Provenance targets that named them;</li>
 *   <li>Synthea's conditional references to US organisations, practitioners and locations are pointed at the
 *       trust, its staff and its sites.</li>
 * </ul>
 * Clinical codes (SNOMED CT, LOINC, RxNorm, CVX) are kept as they are: mapping RxNorm to dm+d is terminology
 * work, not demo data.
 *
 * <p>Patient {@code i} of a folder gets NHS number index {@code FIRST_NHS_INDEX + i} of the seed's test range,
 * so adapted Synthea patients never share a number with the first 400,000 generated ones of the same seed.
 */
public final class SyntheaAdapter {

    /** Where adapted patients start in a seed's test-range numbering, after generated ones. */
    public static final int FIRST_NHS_INDEX = 400_000;
    private static final Set<String> DROPPED_TYPES = Set.of("Claim", "ExplanationOfBenefit");
    private static final Set<String> US_IDENTIFIER_SYSTEMS = Set.of("http://hl7.org/fhir/sid/us-ssn",
            "http://hl7.org/fhir/sid/us-npi", "http://hl7.org/fhir/sid/passport-USA",
            "http://hospital.smarthealthit.org");
    private static final String US_DRIVING_LICENCE_OIDS = "urn:oid:2.16.840.1.113883.4.3.";

    private final TrustShape trust;
    private final long seed;
    private final LocalDate today;
    private final List<TrustShape.StaffMember> staff;

    public SyntheaAdapter(TrustShape trust, long seed) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.seed = seed;
        this.today = PopulationSpec.DEFAULT_TODAY;
        this.staff = trust.teams().stream().flatMap(t -> t.staff().stream()).toList();
    }

    /**
     * Adapts one Synthea patient bundle in place and returns it. {@code index} numbers the patient within its
     * folder and decides its NHS number and new identity. Bundles with no Patient are returned unchanged.
     */
    public Bundle adapt(Bundle synthea, int index) {
        Patient patient = patientOf(synthea);
        if (patient == null) {
            return synthea;
        }
        Dice dice = new Dice(Dice.mix(seed ^ 0x5397_7EA0L, index));
        NhsNumber nhsNumber = NhsNumber.testNumber(seed, FIRST_NHS_INDEX + index);
        boolean female = patient.getGender() == AdministrativeGender.FEMALE;
        LocalDate birthDate = birthDate(patient);
        Person person = Person.draw(dice, trust, female, birthDate, today);

        Set<String> dropped = new HashSet<>();
        synthea.getEntry().removeIf(entry -> {
            if (DROPPED_TYPES.contains(entry.getResource().fhirType())) {
                dropped.add(entry.getFullUrl());
                return true;
            }
            return false;
        });
        anglicise(patient, person, nhsNumber, dice);
        String patientName = person.fullName();
        Site site = Site.baseFor(person.locality());
        String patientFullUrl = synthea.getEntry().stream().filter(e -> e.getResource() == patient)
                .map(BundleEntryComponent::getFullUrl).findFirst().orElse("");
        for (BundleEntryComponent entry : synthea.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Provenance provenance) {
                provenance.getTarget().removeIf(t -> dropped.contains(t.getReference()));
            }
            if (resource != patient) {
                resource.getMeta().getProfile().removeIf(p -> p.getValue().contains("/fhir/us/"));
            }
            stripUsContent(resource);
            for (Reference reference : References.in(resource)) {
                repoint(reference, patientFullUrl, patientName, site);
            }
            if (resource instanceof Patient) {
                entry.getRequest().setIfNoneExist("identifier=" + UkCore.NHS_NUMBER_SYSTEM + "|" + nhsNumber.value());
            }
        }
        return synthea;
    }

    /** Reads every Synthea bundle ({@code *.json} or {@code *.json.gz}) in {@code dir}, by file name, adapted. */
    public Stream<Bundle> adaptFolder(Path dir) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".json") || name.endsWith(".json.gz");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IParser parser = FhirContexts.r4().newJsonParser();
        AtomicInteger patients = new AtomicInteger();
        return files.stream()
                .map(file -> read(parser, file))
                .filter(bundle -> patientOf(bundle) != null)
                .map(bundle -> adapt(bundle, patients.getAndIncrement()));
    }

    /** Adapts every bundle in {@code in} and writes them to {@code out}; returns how many were written. */
    public int adaptFolder(Path in, Path out) {
        IParser parser = FhirContexts.r4().newJsonParser();
        try {
            Files.createDirectories(out);
            int n = 0;
            Iterator<Bundle> bundles = adaptFolder(in).iterator();
            while (bundles.hasNext()) {
                try (Writer writer = Files.newBufferedWriter(out.resolve(String.format("synthea-%06d.json", n)),
                        StandardCharsets.UTF_8)) {
                    parser.encodeResourceToWriter(bundles.next(), writer);
                }
                n++;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Bundle read(IParser parser, Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw;
             Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return parser.parseResource(Bundle.class, reader);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** The birth date as recorded, read from its text so the day never shifts with the JVM's time zone. */
    private LocalDate birthDate(Patient patient) {
        if (!patient.hasBirthDate()) {
            return today.minusYears(40);
        }
        String text = patient.getBirthDateElement().getValueAsString();
        return LocalDate.parse(text.length() >= 10 ? text.substring(0, 10) : text.substring(0, 4) + "-07-01");
    }

    private static Patient patientOf(Bundle bundle) {
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Patient patient) {
                return patient;
            }
        }
        return null;
    }

    private void anglicise(Patient patient, Person person, NhsNumber nhsNumber, Dice dice) {
        patient.getExtension().clear();
        patient.getIdentifier().removeIf(SyntheaAdapter::usIdentifier);
        patient.setText(null);
        EnglishPatient.describe(patient, person, nhsNumber, dice, today);
    }

    private static boolean usIdentifier(org.hl7.fhir.r4.model.Identifier identifier) {
        String system = identifier.getSystem();
        return system != null && (US_IDENTIFIER_SYSTEMS.contains(system) || system.startsWith(US_DRIVING_LICENCE_OIDS));
    }

    /** Removes US-only extensions and codings anywhere in the resource. */
    private static void stripUsContent(Base base) {
        if (base instanceof DomainResource resource) {
            resource.getExtension().removeIf(SyntheaAdapter::usExtension);
            resource.getModifierExtension().removeIf(SyntheaAdapter::usExtension);
        }
        if (base instanceof Element element) {
            element.getExtension().removeIf(SyntheaAdapter::usExtension);
        }
        if (base instanceof CodeableConcept concept) {
            concept.getCoding().removeIf(c -> c.getSystem() != null && c.getSystem().contains("/fhir/us/"));
        }
        for (Property property : base.children()) {
            if (property.hasValues()) {
                for (Base value : property.getValues()) {
                    if (value != null && !(value instanceof Resource)) {
                        stripUsContent(value);
                    }
                }
            }
        }
    }

    private static boolean usExtension(Extension extension) {
        String url = extension.getUrl();
        return url != null && (url.contains("/fhir/us/") || url.contains("synthetichealth")
                || url.endsWith("/patient-birthPlace") || url.endsWith("/patient-mothersMaidenName")
                || url.endsWith("/geolocation"));
    }

    /** Points Synthea's conditional references at the trust's resources and renames the patient in displays. */
    private void repoint(Reference reference, String patientFullUrl, String patientName, Site site) {
        String target = reference.getReference();
        if (target == null) {
            return;
        }
        if (target.startsWith("Practitioner?")) {
            TrustShape.StaffMember member = staff.get(Math.floorMod(target.hashCode(), staff.size()));
            reference.setReference("Practitioner/" + member.practitionerId());
            reference.setDisplay(member.displayName());
        } else if (target.startsWith("Organization?")) {
            reference.setReference("Organization/" + TrustShape.TRUST_ORGANIZATION_ID);
            reference.setDisplay(TrustShape.TRUST_NAME);
        } else if (target.startsWith("Location?")) {
            reference.setReference("Location/" + site.locationId());
            reference.setDisplay(site.label());
        } else if (target.equals(patientFullUrl) && reference.hasDisplay()) {
            reference.setDisplay(patientName);
        }
    }
}
