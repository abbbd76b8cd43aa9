package org.charnwood.demo;

import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

import java.time.LocalDate;

/**
 * Writes a {@link Person} onto a Patient the way UK Core expects an English patient: NHS number with its
 * verification status, ethnic category, official name, UK phone numbers, an LLR home address, registered GP
 * practice and preferred language. Used for generated patients and for anglicising Synthea's.
 */
final class EnglishPatient {
    private EnglishPatient() {
    }

    static void describe(Patient patient, Person person, NhsNumber nhsNumber, Dice dice, LocalDate today) {
        patient.getMeta().getProfile().clear();
        patient.getMeta().addProfile(UkCore.PATIENT);
        patient.addExtension(new Extension(UkCore.EXT_ETHNIC_CATEGORY, ethnicCategory(person).concept()));
        Identifier nhs = new Identifier().setSystem(UkCore.NHS_NUMBER_SYSTEM).setValue(nhsNumber.value());
        nhs.addExtension(new Extension(UkCore.EXT_NHS_NUMBER_VERIFICATION,
                new Code(UkCore.CS_NHS_NUMBER_VERIFICATION, "01", "Number present and verified").concept()));
        patient.getIdentifier().add(0, nhs);
        HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL).setFamily(person.family())
                .addGiven(person.given());
        if (person.middle() != null) {
            name.addGiven(person.middle());
        }
        int age = person.ageOn(today);
        if (age >= 18) {
            name.addPrefix(person.female() ? dice.pick(new String[]{"Mrs", "Ms", "Miss"}) : "Mr");
        }
        patient.getName().clear();
        patient.addName(name);
        patient.getTelecom().clear();
        if (person.mobile() != null) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(person.mobile())
                    .setUse(ContactPoint.ContactPointUse.MOBILE).setRank(1);
        }
        if (person.landline() != null) {
            patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(person.landline())
                    .setUse(ContactPoint.ContactPointUse.HOME);
        }
        patient.setGender(person.female() ? AdministrativeGender.FEMALE : AdministrativeGender.MALE);
        // Built from the ISO text, not a java.util.Date, so the day never shifts with the JVM's time zone.
        patient.setBirthDateElement(new DateType(person.birthDate().toString()));
        patient.getAddress().clear();
        patient.addAddress().setUse(Address.AddressUse.HOME).setType(Address.AddressType.BOTH)
                .addLine(person.street()).setCity(person.town()).setDistrict(person.locality().county())
                .setPostalCode(person.postcode());
        if (age >= 18 && !patient.hasMaritalStatus()) {
            String[][] statuses = age >= 75
                    ? new String[][]{{"M", "Married"}, {"W", "Widowed"}, {"W", "Widowed"}, {"D", "Divorced"}}
                    : new String[][]{{"M", "Married"}, {"S", "Never Married"}, {"D", "Divorced"}, {"M", "Married"}};
            String[] status = dice.pick(statuses);
            patient.setMaritalStatus(new Code("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", status[0],
                    status[1]).concept());
        }
        patient.getCommunication().clear();
        patient.addCommunication().setPreferred(true)
                .setLanguage(new Code("urn:ietf:bcp:47", person.language(), person.languageName()).concept());
        patient.getGeneralPractitioner().clear();
        patient.addGeneralPractitioner(new Reference("Organization/" + person.practice().organizationId())
                .setDisplay(person.practice().name()));
        patient.setManagingOrganization(TrustShapeGenerator.trustReference());
    }

    static Code ethnicCategory(Person person) {
        if (person.ethnicCategory() != Heritage.MIXED) {
            return person.ethnicCategory().ethnicCategory();
        }
        return switch (person.heritage()) {
            case BLACK_CARIBBEAN -> new Code(UkCore.CS_ETHNIC_CATEGORY, "D", "Mixed - White and Black Caribbean");
            case BLACK_AFRICAN -> new Code(UkCore.CS_ETHNIC_CATEGORY, "E", "Mixed - White and Black African");
            case INDIAN, PAKISTANI, BANGLADESHI, OTHER_ASIAN, CHINESE ->
                    new Code(UkCore.CS_ETHNIC_CATEGORY, "F", "Mixed - White and Asian");
            default -> Heritage.MIXED.ethnicCategory();
        };
    }
}
