package org.charnwood.fhir.search;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

/** Generated, entirely fictitious patients and their vital signs and encounters, for load and plan checks. */
final class SyntheticRecords {

    static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    static final String LOINC = "http://loinc.org";
    static final String UCUM = "http://unitsofmeasure.org";
    static final String[] FAMILIES = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
            "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
            "Jackson", "Clarke", "Khan", "Lewis", "Harris", "Müller", "O'Neill", "Nowak", "Kowalski", "Singh", "Ahmed"};
    static final String[] GIVENS = {"Olivia", "Amelia", "Isla", "Ava", "Mia", "Noah", "Oliver", "George", "Arthur",
            "Leo", "Harry", "Oscar", "Zoë", "Freya", "Muhammad", "Jack", "Sophie", "Grace", "Ruby", "Alfie"};
    static final String[] TOWNS = {"Loughborough", "Leicester", "Shepshed", "Melton Mowbray", "Hinckley",
            "Coalville", "Oakham", "Market Harborough", "Lutterworth", "Syston"};
    /** LOINC code, display, UCUM unit, typical value, spread. */
    static final Object[][] VITALS = {
            {"8867-4", "Heart rate", "/min", 75, 20}, {"9279-1", "Respiratory rate", "/min", 16, 4},
            {"8310-5", "Body temperature", "Cel", 37, 1}, {"29463-7", "Body weight", "kg", 75, 20},
            {"8302-2", "Body height", "cm", 170, 15}, {"2708-6", "Oxygen saturation", "%", 97, 2},
            {"39156-5", "BMI", "kg/m2", 26, 5}, {"2339-0", "Glucose", "mmol/L", 6, 2}};

    private final Random random;

    SyntheticRecords(long seed) {
        this.random = new Random(seed);
    }

    String nhsNumber(int n) {
        return String.format("9%09d", n);
    }

    Patient patient(int n) {
        Patient p = new Patient();
        p.addIdentifier(new Identifier().setSystem(NHS).setValue(nhsNumber(n)));
        p.addIdentifier(new Identifier().setSystem("https://trust.example/mrn").setValue("M" + n));
        p.addName(new HumanName().setFamily(FAMILIES[random.nextInt(FAMILIES.length)] + (n % 50 == 0 ? "" : suffix(n)))
                .addGiven(GIVENS[random.nextInt(GIVENS.length)]).addGiven(GIVENS[random.nextInt(GIVENS.length)]));
        p.setGender(random.nextBoolean() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        p.setBirthDateElement(new DateType(LocalDate.of(1930, 1, 1).plusDays(random.nextInt(33000)).toString()));
        p.addAddress(new Address().addLine(random.nextInt(200) + " High Street")
                .setCity(TOWNS[random.nextInt(TOWNS.length)])
                .setPostalCode("LE" + (1 + random.nextInt(18)) + " " + random.nextInt(10) + "AB"));
        p.addTelecom(new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE)
                .setValue("07700 9" + String.format("%05d", n % 100000)));
        p.setActive(true);
        return p;
    }

    /** Family names vary: a handful of common ones and many rarer ones, as in a real register. */
    private String suffix(int n) {
        return "-" + Integer.toString(n % 997, 36);
    }

    Observation vitalSign(String patientId, String encounterId) {
        Object[] v = VITALS[random.nextInt(VITALS.length)];
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        obs.setCode(new CodeableConcept(new Coding(LOINC, (String) v[0], (String) v[1])).setText((String) v[1]));
        obs.setSubject(new Reference("Patient/" + patientId));
        if (encounterId != null) {
            obs.setEncounter(new Reference("Encounter/" + encounterId));
        }
        obs.setEffective(new DateTimeType(instant()));
        double value = (Integer) v[3] + (random.nextGaussian() * (Integer) v[4]) / 3;
        obs.setValue(new Quantity().setValue(Math.round(value * 10) / 10.0).setSystem(UCUM).setCode((String) v[2])
                .setUnit((String) v[2]));
        return obs;
    }

    Observation bloodPressure(String patientId) {
        Observation obs = new Observation();
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        obs.setCode(new CodeableConcept(new Coding(LOINC, "85354-9", "Blood pressure panel")));
        obs.setSubject(new Reference("Patient/" + patientId));
        obs.setEffective(new DateTimeType(instant()));
        obs.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8480-6", "Systolic")))
                .setValue(new Quantity().setValue(110 + random.nextInt(50)).setSystem(UCUM).setCode("mm[Hg]"));
        obs.addComponent().setCode(new CodeableConcept(new Coding(LOINC, "8462-4", "Diastolic")))
                .setValue(new Quantity().setValue(65 + random.nextInt(30)).setSystem(UCUM).setCode("mm[Hg]"));
        return obs;
    }

    Encounter encounter(String patientId) {
        Encounter e = new Encounter();
        e.setStatus(Encounter.EncounterStatus.FINISHED);
        e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HH", "home health"));
        e.addType(new CodeableConcept(new Coding("http://snomed.info/sct", "185389009", "Follow-up visit")));
        e.setSubject(new Reference("Patient/" + patientId));
        String start = instant();
        e.setPeriod(new Period().setStartElement(new DateTimeType(start))
                .setEndElement(new DateTimeType(java.time.Instant.parse(start).plusSeconds(3600).toString())));
        return e;
    }

    private String instant() {
        long seconds = LocalDate.of(2020, 1, 1).toEpochSecond(java.time.LocalTime.MIDNIGHT, ZoneOffset.UTC)
                + (long) random.nextInt(5 * 365 * 24 * 3600);
        return DateTimeFormatter.ISO_INSTANT.format(java.time.Instant.ofEpochSecond(seconds));
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
