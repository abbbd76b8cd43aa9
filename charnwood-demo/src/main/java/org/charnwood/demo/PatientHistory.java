package org.charnwood.demo;

import org.charnwood.demo.CareProfile.Chance;
import org.charnwood.demo.TrustShape.Bed;
import org.charnwood.demo.TrustShape.StaffMember;
import org.charnwood.demo.TrustShape.Team;
import org.charnwood.demo.TrustShape.Ward;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.hl7.fhir.r4.model.Timing;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static org.charnwood.demo.ClinicalCodes.*;

/**
 * Writes one patient's record: demographics, problem list, allergies, and for each service they used a
 * referral, an episode of care, a care plan, contacts with vital signs, prescriptions and appointments.
 * Single use and not thread-safe; {@link PopulationGenerator} makes one per patient.
 */
final class PatientHistory {

    private static final ZoneId LONDON = ZoneId.of("Europe/London");
    private static final TimeZone LONDON_TZ = TimeZone.getTimeZone(LONDON);
    private static final int MAX_HISTORY_YEARS = 8;

    private final TrustShape trust;
    private final Dice dice;
    private final ReferenceStyle style;
    private final LocalDate today;
    private final List<Resource> resources = new ArrayList<>();
    private final Map<String, Condition> conditions = new LinkedHashMap<>();
    private final Map<String, LocalDate> onsets = new LinkedHashMap<>();
    private Person person;
    private Reference patientRef;
    /** Intensity scales how often a patient is seen: most near 1, a long tail of heavy users. */
    private double intensity;

    PatientHistory(TrustShape trust, Dice dice, ReferenceStyle style, LocalDate today) {
        this.trust = trust;
        this.dice = dice;
        this.style = style;
        this.today = today;
    }

    PatientRecord write(int index, NhsNumber nhsNumber, CareProfile profile, CurrentAdmission admission) {
        person = Person.draw(dice, trust, profile, today);
        intensity = Math.min(4.0, Math.exp(dice.gaussian(-0.15, 0.55)));
        Patient patient = patient(nhsNumber);
        add(patient);
        patientRef = reference(patient).setDisplay(person.fullName());

        Code main = dice.pick(profile.mainConditions());
        addCondition(main, true);
        for (Chance<Code> chance : profile.otherConditions()) {
            if (dice.chance(chance.probability())) {
                addCondition(chance.what(), false);
            }
        }
        allergy();

        List<TrustService> services = new ArrayList<>();
        services.add(profile.mainService(main));
        for (Chance<TrustService> chance : profile.otherServices()) {
            if (dice.chance(chance.probability())) {
                services.add(chance.what());
            }
        }
        if (admission != null && !services.contains(admission.service())) {
            services.add(admission.service());
        }
        for (TrustService service : services) {
            episode(service, main, admission != null && admission.service() == service ? admission : null);
        }
        primaryCarePrescriptions();
        return new PatientRecord(index, nhsNumber, patient, resources);
    }

    // ----- patient -----------------------------------------------------------------------------------------

    private Patient patient(NhsNumber nhsNumber) {
        Patient patient = new Patient();
        EnglishPatient.describe(patient, person, nhsNumber, dice, today);
        return patient;
    }

    // ----- problem list and allergies -----------------------------------------------------------------------

    private void addCondition(Code code, boolean main) {
        if (conditions.containsKey(code.code())) {
            return;
        }
        boolean acute = code == PNEUMONIA || code == CELLULITIS || code == CYSTITIS;
        int age = person.ageOn(today);
        int yearsBack = Math.max(0, Math.min(age - (age < 18 ? 1 : 16), main ? MAX_HISTORY_YEARS + 4 : 15));
        LocalDate onset = acute ? today.minusDays(dice.between(20, 365 * 3))
                : today.minusDays(dice.between(60, Math.max(61, yearsBack * 365)));
        if (onset.isBefore(person.birthDate())) {
            onset = person.birthDate().plusDays(dice.between(1, 365));
        }
        Condition condition = new Condition();
        condition.getMeta().addProfile(UkCore.CONDITION);
        String clinical = acute ? "resolved" : "active";
        condition.setClinicalStatus(new Code("http://terminology.hl7.org/CodeSystem/condition-clinical", clinical,
                acute ? "Resolved" : "Active").concept());
        condition.setVerificationStatus(new Code("http://terminology.hl7.org/CodeSystem/condition-ver-status",
                "confirmed", "Confirmed").concept());
        condition.addCategory(PROBLEM_LIST_ITEM.concept());
        if (main) {
            condition.setSeverity(Code.snomed("6736007", "Moderate").concept());
        }
        condition.setCode(code.concept());
        condition.setSubject(patientRef.copy());
        condition.setOnset(new DateTimeType(onset.toString()));
        if (acute) {
            condition.setAbatement(new DateTimeType(onset.plusDays(dice.between(7, 21)).toString()));
        }
        condition.setRecordedDateElement(dateTime(onset.plusDays(dice.between(0, 30)).atTime(10, 0)));
        add(condition);
        conditions.put(code.code(), condition);
        onsets.put(code.code(), onset);
    }

    private void allergy() {
        double roll = dice.between(0.0, 1.0);
        if (roll > 0.85) {
            return;
        }
        AllergyIntolerance allergy = new AllergyIntolerance();
        allergy.getMeta().addProfile(UkCore.ALLERGY_INTOLERANCE);
        allergy.setClinicalStatus(new Code("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                "active", "Active").concept());
        allergy.setVerificationStatus(new Code(
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed", "Confirmed")
                .concept());
        if (roll < 0.62) {
            allergy.setCode(NO_KNOWN_DRUG_ALLERGY.concept());
        } else if (roll < 0.74) {
            allergy.setType(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
            allergy.addCategory(AllergyIntolerance.AllergyIntoleranceCategory.MEDICATION);
            allergy.setCriticality(AllergyIntolerance.AllergyIntoleranceCriticality.LOW);
            allergy.setCode(AMOXICILLIN.concept());
            allergy.addReaction().addManifestation(dice.chance(0.5) ? WHEAL.concept() : SKIN_ERUPTION.concept())
                    .setSeverity(AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
        } else {
            Code[] substances = {PEANUT, LATEX, BEE_VENOM, GRASS_POLLEN, HOUSE_DUST_MITE, EGGS};
            Code substance = dice.pick(substances);
            boolean food = substance == PEANUT || substance == EGGS;
            allergy.setType(AllergyIntolerance.AllergyIntoleranceType.ALLERGY);
            allergy.addCategory(food ? AllergyIntolerance.AllergyIntoleranceCategory.FOOD
                    : AllergyIntolerance.AllergyIntoleranceCategory.ENVIRONMENT);
            boolean severe = (substance == PEANUT || substance == BEE_VENOM) && dice.chance(0.4);
            allergy.setCriticality(severe ? AllergyIntolerance.AllergyIntoleranceCriticality.HIGH
                    : AllergyIntolerance.AllergyIntoleranceCriticality.LOW);
            allergy.setCode(substance.concept());
            Code manifestation = severe ? ANAPHYLAXIS
                    : substance == GRASS_POLLEN || substance == HOUSE_DUST_MITE ? SNEEZING : ITCHING;
            allergy.addReaction().addManifestation(manifestation.concept())
                    .setSeverity(severe ? AllergyIntolerance.AllergyIntoleranceSeverity.SEVERE
                            : AllergyIntolerance.AllergyIntoleranceSeverity.MILD);
        }
        allergy.setPatient(patientRef.copy());
        LocalDate recorded = today.minusDays(dice.between(30, 365 * 5));
        allergy.setRecordedDateElement(dateTime(recorded.atTime(11, 0)));
        add(allergy);
    }

    // ----- episodes -----------------------------------------------------------------------------------------

    private void episode(TrustService service, Code mainCondition, CurrentAdmission admission) {
        Team team = trust.teamFor(service, person.locality());
        int length = episodeLength(service);
        LocalDate earliest = laterOf(today.minusYears(MAX_HISTORY_YEARS), person.birthDate().plusMonths(6));
        LocalDate start;
        if (admission != null) {
            start = today.minusDays(admission.daysSoFar());
            length = admission.daysSoFar() + 30;
        } else {
            long span = Math.max(1, ChronoUnit.DAYS.between(earliest, today.minusDays(1)));
            start = earliest.plusDays((long) (dice.between(0.0, 1.0) * span));
        }
        LocalDate end = start.plusDays(length);
        if (service.inpatient() && admission == null && !end.isBefore(today)) {
            // Only patients given a bed by PopulationGenerator are on a ward today; other stays are over.
            end = today.minusDays(dice.between(1, 120));
            start = end.minusDays(length);
        }
        boolean open = !end.isBefore(today);
        Condition reason = reasonFor(service, mainCondition);

        ServiceRequest referral = referral(service, team, start, reason);
        EpisodeOfCare episode = new EpisodeOfCare();
        episode.setStatus(open ? EpisodeOfCare.EpisodeOfCareStatus.ACTIVE : EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        episode.addType(service.specialty().concept().setText(service.label()));
        if (reason != null) {
            episode.addDiagnosis().setCondition(reference(reason)).setRank(1);
        }
        episode.setPatient(patientRef.copy());
        episode.setManagingOrganization(TrustShapeGenerator.trustReference());
        episode.setPeriod(period(start.atTime(9, 0), open ? null : end.atTime(17, 0)));
        episode.addReferralRequest(reference(referral));
        StaffMember lead = team.staff().get(0);
        episode.setCareManager(staffReference(lead));
        episode.addTeam(new Reference("CareTeam/" + team.careTeamId()).setDisplay(team.name()));
        add(episode);

        carePlan(service, team, episode, start, open ? null : end, reason);
        if (service.inpatient()) {
            inpatientStay(service, team, episode, referral, reason, start, open ? null : end, admission);
        } else {
            contacts(service, team, episode, referral, reason, start, open ? today.minusDays(1) : end, open);
        }
        trustPrescriptions(team, reason, start, open ? today : end, episode);
    }

    private static LocalDate laterOf(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }

    private int episodeLength(TrustService service) {
        return switch (service) {
            case DISTRICT_NURSING -> dice.between(30, 720);
            case COMMUNITY_THERAPY -> dice.between(14, 90);
            case URGENT_COMMUNITY_RESPONSE -> dice.between(1, 3);
            case INTERMEDIATE_CARE -> dice.between(14, 42);
            case HEART_FAILURE -> dice.between(90, 1000);
            case RESPIRATORY -> dice.between(60, 720);
            case COMMUNITY_INPATIENTS -> dice.between(10, 40);
            case CHILDRENS_COMMUNITY_NURSING -> dice.between(30, 700);
            case CAMHS -> dice.between(90, 700);
            case NEURODEVELOPMENTAL -> dice.between(60, 300);
            case LEARNING_DISABILITY -> dice.between(180, 1500);
            case COMMUNITY_MENTAL_HEALTH -> dice.between(180, 2000);
            case MEMORY_ASSESSMENT -> dice.between(30, 180);
            case TALKING_THERAPIES -> dice.between(42, 120);
            case CRISIS -> dice.between(7, 42);
            case MENTAL_HEALTH_INPATIENTS -> dice.between(14, 70);
        };
    }

    /** The problem an episode is for: the main condition when it fits the service, else a fitting one. */
    private Condition reasonFor(TrustService service, Code mainCondition) {
        Condition main = conditions.get(mainCondition.code());
        if (service.mentalHealth() || service == TrustService.LEARNING_DISABILITY
                || service == TrustService.NEURODEVELOPMENTAL) {
            return main;
        }
        for (Map.Entry<String, Condition> entry : conditions.entrySet()) {
            String code = entry.getKey();
            boolean fits = switch (service) {
                case HEART_FAILURE -> code.equals(HEART_FAILURE.code())
                        || code.equals(CHRONIC_CONGESTIVE_HEART_FAILURE.code());
                case RESPIRATORY -> code.equals(COPD.code()) || code.equals(ASTHMA.code());
                case DISTRICT_NURSING -> code.equals(PRESSURE_ULCER.code()) || code.equals(CELLULITIS.code());
                default -> false;
            };
            if (fits) {
                return entry.getValue();
            }
        }
        return main;
    }

    private ServiceRequest referral(TrustService service, Team team, LocalDate episodeStart, Condition reason) {
        ServiceRequest referral = new ServiceRequest();
        referral.getMeta().addProfile(UkCore.SERVICE_REQUEST);
        referral.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
        referral.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        referral.addCategory(PATIENT_REFERRAL.concept());
        referral.setPriority(service == TrustService.URGENT_COMMUNITY_RESPONSE || service == TrustService.CRISIS
                ? ServiceRequest.ServiceRequestPriority.URGENT : ServiceRequest.ServiceRequestPriority.ROUTINE);
        referral.setCode(REFERRAL_FOR_FURTHER_CARE.concept().setText("Referral to " + service.label()));
        referral.setSubject(patientRef.copy());
        int wait = switch (service) {
            case URGENT_COMMUNITY_RESPONSE, CRISIS, COMMUNITY_INPATIENTS, MENTAL_HEALTH_INPATIENTS -> 0;
            case NEURODEVELOPMENTAL, MEMORY_ASSESSMENT -> dice.between(30, 200);
            default -> dice.between(3, 45);
        };
        referral.setAuthoredOnElement(dateTime(episodeStart.minusDays(wait).atTime(dice.between(8, 17), 15)));
        referral.setRequester(new Reference("Organization/" + person.practice().organizationId())
                .setDisplay(person.practice().name()));
        referral.addPerformer(new Reference("HealthcareService/" + service.healthcareServiceId())
                .setDisplay(service.label()));
        referral.addPerformer(new Reference("CareTeam/" + team.careTeamId()).setDisplay(team.name()));
        if (reason != null) {
            referral.addReasonReference(reference(reason));
        }
        add(referral);
        return referral;
    }

    private void carePlan(TrustService service, Team team, EpisodeOfCare episode, LocalDate start, LocalDate end,
                          Condition reason) {
        if (service == TrustService.URGENT_COMMUNITY_RESPONSE && dice.chance(0.5)) {
            return;
        }
        Code category = switch (service) {
            case COMMUNITY_MENTAL_HEALTH, CRISIS, CAMHS, TALKING_THERAPIES -> MENTAL_HEALTH_CARE_PLAN;
            case MENTAL_HEALTH_INPATIENTS, MEMORY_ASSESSMENT -> PSYCHIATRY_CARE_PLAN;
            case COMMUNITY_THERAPY, INTERMEDIATE_CARE -> PHYSIOTHERAPY_CARE_PLAN;
            case HEART_FAILURE -> HEART_FAILURE_PLAN;
            case COMMUNITY_INPATIENTS -> INPATIENT_CARE_PLAN;
            default -> CARE_PLAN;
        };
        CarePlan plan = new CarePlan();
        plan.setStatus(end == null ? CarePlan.CarePlanStatus.ACTIVE : CarePlan.CarePlanStatus.COMPLETED);
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.addCategory(category.concept());
        plan.setTitle(service.label() + " care plan");
        plan.setSubject(patientRef.copy());
        plan.setPeriod(period(start.atTime(10, 0), end == null ? null : end.atTime(16, 0)));
        plan.setCreatedElement(dateTime(start.atTime(10, 30)));
        plan.setAuthor(staffReference(team.staff().get(0)));
        plan.addCareTeam(new Reference("CareTeam/" + team.careTeamId()).setDisplay(team.name()));
        if (reason != null) {
            plan.addAddresses(reference(reason));
        }
        plan.addSupportingInfo(reference(episode));
        for (Code activity : activities(service)) {
            plan.addActivity().getDetail()
                    .setCode(activity.concept())
                    .setStatus(end == null ? CarePlan.CarePlanActivityStatus.INPROGRESS
                            : CarePlan.CarePlanActivityStatus.COMPLETED)
                    .setDescription(activity.display());
        }
        add(plan);
    }

    private List<Code> activities(TrustService service) {
        return switch (service) {
            case DISTRICT_NURSING -> List.of(WOUND_CARE, DRESSING_CHANGE);
            case COMMUNITY_THERAPY, INTERMEDIATE_CARE -> List.of(EXERCISE_THERAPY, OCCUPATIONAL_THERAPY);
            case URGENT_COMMUNITY_RESPONSE -> List.of(VITAL_SIGNS_TAKEN);
            case HEART_FAILURE -> List.of(HEART_FAILURE_EDUCATION, MEDICATION_RECONCILIATION);
            case RESPIRATORY -> List.of(ASTHMA_SELF_MANAGEMENT);
            case COMMUNITY_INPATIENTS -> List.of(EXERCISE_THERAPY, PRE_DISCHARGE_ASSESSMENT);
            case CHILDRENS_COMMUNITY_NURSING -> List.of(NEEDS_ASSESSMENT);
            case CAMHS, TALKING_THERAPIES -> List.of(CBT, COPING_SUPPORT);
            case NEURODEVELOPMENTAL -> List.of(DIAGNOSTIC_ASSESSMENT);
            case LEARNING_DISABILITY -> List.of(NEEDS_ASSESSMENT, COPING_SUPPORT);
            case COMMUNITY_MENTAL_HEALTH, MENTAL_HEALTH_INPATIENTS -> List.of(COPING_SUPPORT,
                    MEDICATION_RECONCILIATION);
            case MEMORY_ASSESSMENT -> List.of(MEMORY_SKILLS, DEMENTIA_MANAGEMENT);
            case CRISIS -> List.of(SUICIDE_RISK_ASSESSMENT, COPING_SUPPORT);
        };
    }

    // ----- contacts -----------------------------------------------------------------------------------------

    private void contacts(TrustService service, Team team, EpisodeOfCare episode, ServiceRequest referral,
                          Condition reason, LocalDate start, LocalDate lastDay, boolean open) {
        long days = Math.max(0, ChronoUnit.DAYS.between(start, lastDay));
        int count = (int) Math.round(contactCount(service, days) * (service == TrustService.URGENT_COMMUNITY_RESPONSE
                ? 1.0 : intensity));
        count = Math.max(1, Math.min(count, 80));
        for (int i = 0; i < count; i++) {
            LocalDate day = start.plusDays(count == 1 ? 0 : Math.round((double) days * i / (count - 1)));
            if (day.isAfter(today.minusDays(1))) {
                day = today.minusDays(1);
            }
            contact(service, team, episode, referral, reason, day, i == 0);
        }
        if (open) {
            int booked = dice.between(1, 2);
            for (int i = 0; i < booked; i++) {
                LocalDate day = today.plusDays(dice.between(1, 42));
                appointment(service, team, referral, reason, day.atTime(dice.between(9, 16), dice.chance(0.5) ? 0 : 30),
                        Appointment.AppointmentStatus.BOOKED, encounterClass(service));
            }
        }
    }

    private static double contactCount(TrustService service, long days) {
        return switch (service) {
            case DISTRICT_NURSING -> clamp(days / 28.0, 2, 36);
            case COMMUNITY_THERAPY -> clamp(days / 10.0, 2, 8);
            case URGENT_COMMUNITY_RESPONSE -> clamp(days + 1, 1, 3);
            case INTERMEDIATE_CARE -> clamp(days / 4.0, 3, 10);
            case HEART_FAILURE -> clamp(days / 75.0, 2, 12);
            case RESPIRATORY -> clamp(days / 75.0, 2, 10);
            case CHILDRENS_COMMUNITY_NURSING -> clamp(days / 40.0, 2, 15);
            case CAMHS -> clamp(days / 30.0, 2, 18);
            case NEURODEVELOPMENTAL -> clamp(days / 60.0, 2, 4);
            case LEARNING_DISABILITY -> clamp(days / 90.0, 2, 12);
            case COMMUNITY_MENTAL_HEALTH -> clamp(days / 60.0, 2, 25);
            case MEMORY_ASSESSMENT -> clamp(days / 40.0, 2, 4);
            case TALKING_THERAPIES -> clamp(days / 10.0, 4, 10);
            case CRISIS -> clamp(days / 4.0, 2, 10);
            case COMMUNITY_INPATIENTS, MENTAL_HEALTH_INPATIENTS -> 1;
        };
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private Code encounterClass(TrustService service) {
        String[] options = switch (service) {
            case DISTRICT_NURSING, URGENT_COMMUNITY_RESPONSE, INTERMEDIATE_CARE, CHILDRENS_COMMUNITY_NURSING,
                 CRISIS -> new String[]{"HH"};
            case COMMUNITY_THERAPY, HEART_FAILURE, RESPIRATORY, LEARNING_DISABILITY, COMMUNITY_MENTAL_HEALTH ->
                    new String[]{"HH", "AMB", "AMB"};
            case CAMHS -> new String[]{"AMB", "AMB", "VR"};
            case TALKING_THERAPIES -> new String[]{"VR", "VR", "AMB"};
            case NEURODEVELOPMENTAL, MEMORY_ASSESSMENT -> new String[]{"AMB"};
            case COMMUNITY_INPATIENTS, MENTAL_HEALTH_INPATIENTS -> new String[]{"IMP"};
        };
        return actCode(dice.pick(options));
    }

    private static Code actCode(String code) {
        String display = switch (code) {
            case "HH" -> "home health";
            case "AMB" -> "ambulatory";
            case "VR" -> "virtual";
            default -> "inpatient encounter";
        };
        return new Code("http://terminology.hl7.org/CodeSystem/v3-ActCode", code, display);
    }

    private Code contactType(TrustService service, boolean first) {
        if (first) {
            return switch (service) {
                case CAMHS, COMMUNITY_MENTAL_HEALTH, CRISIS -> INITIAL_PSYCHIATRIC_INTERVIEW;
                case NEURODEVELOPMENTAL, MEMORY_ASSESSMENT -> DIAGNOSTIC_ASSESSMENT;
                case TALKING_THERAPIES -> ANXIETY_ASSESSMENT;
                default -> INITIAL_ASSESSMENT;
            };
        }
        return switch (service) {
            case DISTRICT_NURSING -> dice.chance(0.6) ? WOUND_CARE : HOME_VISIT;
            case COMMUNITY_THERAPY -> dice.chance(0.6) ? PHYSIOTHERAPY : OCCUPATIONAL_THERAPY;
            case URGENT_COMMUNITY_RESPONSE, CHILDRENS_COMMUNITY_NURSING -> HOME_VISIT;
            case INTERMEDIATE_CARE -> dice.chance(0.5) ? EXERCISE_THERAPY : NEEDS_ASSESSMENT;
            case HEART_FAILURE, RESPIRATORY, LEARNING_DISABILITY -> FOLLOW_UP;
            case CAMHS -> dice.chance(0.5) ? CBT : PSYCHIATRIC_FOLLOW_UP;
            case NEURODEVELOPMENTAL -> DIAGNOSTIC_ASSESSMENT;
            case COMMUNITY_MENTAL_HEALTH -> PSYCHIATRIC_FOLLOW_UP;
            case MEMORY_ASSESSMENT -> DEMENTIA_MANAGEMENT;
            case TALKING_THERAPIES -> CBT;
            case CRISIS -> dice.chance(0.4) ? SUICIDE_RISK_ASSESSMENT : HOME_VISIT;
            case COMMUNITY_INPATIENTS, MENTAL_HEALTH_INPATIENTS -> SEEN_IN_WARD;
        };
    }

    private double vitalsChance(TrustService service) {
        return switch (service) {
            case URGENT_COMMUNITY_RESPONSE -> 1.0;
            case HEART_FAILURE, RESPIRATORY -> 0.5;
            case INTERMEDIATE_CARE, CHILDRENS_COMMUNITY_NURSING -> 0.3;
            case DISTRICT_NURSING, CRISIS -> 0.12;
            case LEARNING_DISABILITY, COMMUNITY_MENTAL_HEALTH -> 0.08;
            default -> 0.0;
        };
    }

    private void contact(TrustService service, Team team, EpisodeOfCare episode, ServiceRequest referral,
                         Condition reason, LocalDate day, boolean first) {
        Code encounterClass = first && service == TrustService.TALKING_THERAPIES ? actCode("VR") : encounterClass(service);
        LocalDateTime start = day.atTime(dice.between(8, 17), dice.pick(new Integer[]{0, 15, 30, 45}));
        int minutes = first ? dice.between(45, 90) : dice.between(20, 60);
        StaffMember clinician = first ? team.staff().get(0) : dice.pick(team.staff());

        Appointment appointment = null;
        if (!"HH".equals(encounterClass.code()) && dice.chance(0.3)) {
            appointment = appointment(service, team, referral, reason, start, Appointment.AppointmentStatus.FULFILLED,
                    encounterClass);
            if (dice.chance(0.08)) {
                // Some patients did not attend first and were rebooked.
                appointment(service, team, referral, reason, start.minusDays(dice.between(7, 21)),
                        Appointment.AppointmentStatus.NOSHOW, encounterClass);
            }
        }
        Encounter encounter = new Encounter();
        encounter.getMeta().addProfile(UkCore.ENCOUNTER);
        encounter.setStatus(Encounter.EncounterStatus.FINISHED);
        encounter.setClass_(encounterClass.coding());
        encounter.addType(contactType(service, first).concept());
        encounter.setSubject(patientRef.copy());
        encounter.addEpisodeOfCare(reference(episode));
        encounter.addBasedOn(reference(referral));
        encounter.addParticipant().addType(new Code("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                        "PPRF", "primary performer").concept())
                .setIndividual(staffReference(clinician));
        if (appointment != null) {
            encounter.addAppointment(reference(appointment));
        }
        encounter.setPeriod(period(start, start.plusMinutes(minutes)));
        if (reason != null) {
            encounter.addReasonReference(reference(reason));
        }
        if ("AMB".equals(encounterClass.code())) {
            encounter.addLocation().setLocation(new Reference("Location/" + team.base().locationId())
                    .setDisplay(team.base().label()));
        }
        encounter.setServiceProvider(TrustShapeGenerator.trustReference());
        add(encounter);

        if (!"VR".equals(encounterClass.code()) && dice.chance(vitalsChance(service))) {
            VitalSignsSet.Acuity acuity = service == TrustService.URGENT_COMMUNITY_RESPONSE
                    ? dice.weighted(List.of(VitalSignsSet.Acuity.values()), a -> switch (a) {
                        case WELL -> 40; case UNSETTLED -> 45; case UNWELL -> 15; })
                    : dice.weighted(List.of(VitalSignsSet.Acuity.values()), a -> switch (a) {
                        case WELL -> 80; case UNSETTLED -> 17; case UNWELL -> 3; });
            vitalSigns(encounter, clinician, start.plusMinutes(10), acuity);
        }
        if (service == TrustService.HEART_FAILURE && dice.chance(0.8)) {
            bodyWeight(encounter, clinician, start.plusMinutes(5));
        }
    }

    private Appointment appointment(TrustService service, Team team, ServiceRequest referral, Condition reason,
                                    LocalDateTime start, Appointment.AppointmentStatus status, Code encounterClass) {
        Appointment appointment = new Appointment();
        appointment.getMeta().addProfile(UkCore.APPOINTMENT);
        String channel = switch (encounterClass.code()) {
            case "VR" -> dice.chance(0.5) ? "Video" : "Telephone";
            default -> "In-person";
        };
        appointment.addExtension(new Extension(UkCore.EXT_DELIVERY_CHANNEL,
                new Code(UkCore.CS_DELIVERY_CHANNEL, channel, channel).concept()));
        appointment.setStatus(status);
        appointment.addServiceType(new CodeableConcept().setText(service.label()));
        appointment.addSpecialty(service.specialty().concept());
        boolean followUp = status != Appointment.AppointmentStatus.NOSHOW && dice.chance(0.7);
        appointment.setAppointmentType(new Code("http://terminology.hl7.org/CodeSystem/v2-0276",
                followUp ? "FOLLOWUP" : "ROUTINE",
                followUp ? "A follow up visit from a previous appointment" : "Routine appointment - default if not valued")
                .concept());
        if (reason != null) {
            appointment.addReasonReference(reference(reason));
        }
        appointment.setDescription(service.label() + " appointment");
        int minutes = dice.pick(new Integer[]{30, 45, 60});
        appointment.setStartElement(instant(start));
        appointment.setEndElement(instant(start.plusMinutes(minutes)));
        appointment.setMinutesDuration(minutes);
        appointment.setCreatedElement(dateTime(start.minusDays(dice.between(5, 30))));
        appointment.addBasedOn(reference(referral));
        appointment.addParticipant().setActor(patientRef.copy())
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        StaffMember clinician = dice.pick(team.staff());
        appointment.addParticipant().setActor(staffReference(clinician))
                .setRequired(Appointment.ParticipantRequired.REQUIRED)
                .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        if ("In-person".equals(channel) && !"HH".equals(encounterClass.code())) {
            appointment.addParticipant().setActor(new Reference("Location/" + team.base().locationId())
                            .setDisplay(team.base().label()))
                    .setStatus(Appointment.ParticipationStatus.ACCEPTED);
        }
        add(appointment);
        return appointment;
    }

    // ----- inpatient stays ----------------------------------------------------------------------------------

    private void inpatientStay(TrustService service, Team team, EpisodeOfCare episode, ServiceRequest referral,
                               Condition reason, LocalDate start, LocalDate end, CurrentAdmission admission) {
        boolean mentalHealth = service == TrustService.MENTAL_HEALTH_INPATIENTS;
        Bed bed;
        Ward ward;
        if (admission != null) {
            bed = admission.bed();
            ward = trust.wards().stream().filter(w -> w.locationId().equals(admission.bed().wardLocationId()))
                    .findFirst().orElseThrow();
        } else {
            ward = dice.pick(trust.wards(mentalHealth));
            bed = dice.pick(ward.beds());
        }
        LocalDateTime admitted = start.atTime(dice.between(10, 20), dice.pick(new Integer[]{0, 20, 40}));
        LocalDateTime discharged = end == null ? null : end.atTime(dice.between(10, 16), 0);
        Encounter stay = new Encounter();
        stay.getMeta().addProfile(UkCore.ENCOUNTER);
        stay.setStatus(end == null ? Encounter.EncounterStatus.INPROGRESS : Encounter.EncounterStatus.FINISHED);
        stay.setClass_(actCode("IMP").coding());
        stay.addType(HOSPITAL_ADMISSION.concept());
        stay.setSubject(patientRef.copy());
        stay.addEpisodeOfCare(reference(episode));
        stay.addBasedOn(reference(referral));
        StaffMember consultant = team.staff().stream().filter(s -> s.role().prescriber()).findFirst()
                .orElse(team.staff().get(0));
        stay.addParticipant().addType(new Code("http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
                "ATND", "attender").concept()).setIndividual(staffReference(consultant));
        stay.setPeriod(period(admitted, discharged));
        if (reason != null) {
            stay.addReasonReference(reference(reason));
        }
        Encounter.EncounterHospitalizationComponent hospitalisation = stay.getHospitalization();
        String[] method = mentalHealth ? (dice.chance(0.6) ? new String[]{"25",
                "Emergency Admission: Admission via Mental Health Crisis Resolution Team"}
                : new String[]{"21",
                "Emergency Admission: Emergency Care Department or dental casualty department of the Health Care Provider"})
                : (dice.chance(0.7) ? new String[]{"81",
                "Other Admission: Transfer of any admitted Patient from other Hospital Provider other than in an emergency"}
                : new String[]{"22",
                "Emergency Admission: General Practitioner: after a request for immediate admission has been made direct to a Hospital Provider, i.e. not through a Bed bureau, by a General Practitioner or deputy"});
        hospitalisation.addExtension(new Extension(UkCore.EXT_ADMISSION_METHOD,
                new Code(UkCore.CS_ADMISSION_METHOD, method[0], method[1]).concept()));
        if (discharged != null) {
            hospitalisation.setDischargeDisposition(new Code(UkCore.CS_DISCHARGE_DESTINATION, "19",
                    "Usual place of residence unless listed below, for example, a private dwelling whether owner "
                            + "occupied or owned by Local Authority, housing association or other landlord. This "
                            + "includes wardened accommodation but not residential accommodation where health care is "
                            + "provided. It also includes Patients with no fixed abode.").concept());
            stay.addExtension(new Extension(UkCore.EXT_DISCHARGE_METHOD, new Code(UkCore.CS_DISCHARGE_METHOD, "1",
                    "Patient discharged on clinical advice or with clinical consent").concept()));
        }
        Encounter.EncounterLocationStatus locationStatus = end == null ? Encounter.EncounterLocationStatus.ACTIVE
                : Encounter.EncounterLocationStatus.COMPLETED;
        stay.addLocation().setLocation(new Reference("Location/" + ward.locationId()).setDisplay(ward.name()))
                .setStatus(locationStatus)
                .setPhysicalType(new Code("http://terminology.hl7.org/CodeSystem/location-physical-type", "wa",
                        "Ward").concept())
                .setPeriod(period(admitted, discharged));
        stay.addLocation().setLocation(new Reference("Location/" + bed.locationId())
                        .setDisplay(ward.name() + " " + bed.label()))
                .setStatus(locationStatus)
                .setPhysicalType(new Code("http://terminology.hl7.org/CodeSystem/location-physical-type", "bd",
                        "Bed").concept())
                .setPeriod(period(admitted, discharged));
        stay.setServiceProvider(TrustShapeGenerator.trustReference());
        add(stay);

        LocalDateTime lastObservation = discharged == null ? today.atStartOfDay().minusHours(2) : discharged;
        long stayDays = Math.max(1, ChronoUnit.DAYS.between(admitted, lastObservation));
        int rounds = (int) Math.min(mentalHealth ? 6 : 10, Math.max(1, stayDays / (mentalHealth ? 5 : 3)));
        for (int i = 0; i < rounds; i++) {
            LocalDateTime when = admitted.plusHours(2).plusMinutes(stayDays * 24 * 60 * i / rounds);
            StaffMember nurse = dice.pick(team.staff());
            VitalSignsSet.Acuity acuity = i == 0 && !mentalHealth
                    ? dice.weighted(List.of(VitalSignsSet.Acuity.values()), a -> switch (a) {
                        case WELL -> 50; case UNSETTLED -> 40; case UNWELL -> 10; })
                    : dice.weighted(List.of(VitalSignsSet.Acuity.values()), a -> switch (a) {
                        case WELL -> 85; case UNSETTLED -> 13; case UNWELL -> 2; });
            vitalSigns(stay, nurse, when, acuity);
        }
    }

    // ----- observations -------------------------------------------------------------------------------------

    private void vitalSigns(Encounter encounter, StaffMember by, LocalDateTime when, VitalSignsSet.Acuity acuity) {
        boolean adult = person.ageOn(when.toLocalDate()) >= 16;
        VitalSignsSet set = VitalSignsSet.draw(dice, acuity, conditions.containsKey(COPD.code()));
        List<Observation> parts = new ArrayList<>();
        parts.add(vital(encounter, by, when, "resprate", List.of(RESPIRATORY_RATE_LOINC, RESPIRATORY_RATE),
                quantity(adult ? set.respiratoryRate() : set.respiratoryRate() + 6, "breaths/minute", "/min")));
        parts.add(vital(encounter, by, when, "oxygensat", List.of(SPO2_LOINC, SPO2_PULSE_OXIMETRY_LOINC, SPO2),
                quantity(set.spo2(), "%", "%")));
        parts.add(vital(encounter, by, when, "heartrate", List.of(HEART_RATE_LOINC, HEART_RATE),
                quantity(adult ? set.pulse() : set.pulse() + 15, "beats/minute", "/min")));
        parts.add(vital(encounter, by, when, "bodytemp", List.of(TEMPERATURE_LOINC, TEMPERATURE),
                quantity(set.temperature(), "Cel", "Cel")));
        if (adult) {
            parts.add(bloodPressure(encounter, by, when, set));
            parts.add(simpleObservation(encounter, by, when, set.onOxygen() ? ON_OXYGEN : BREATHING_ROOM_AIR, null));
            Code consciousness = switch (set.acvpu()) {
                case 'C' -> NEW_CONFUSION;
                case 'V' -> RESPONDS_TO_VOICE;
                default -> ALERT;
            };
            parts.add(simpleObservation(encounter, by, when, ACVPU, consciousness));
            Observation news2 = simpleObservation(encounter, by, when, NEWS2_TOTAL, null);
            news2.getCategory().clear();
            news2.addCategory(SURVEY_CATEGORY.concept());
            news2.setValue(scoreQuantity(set.news2()));
            // Written as the platform's own NEWS2 derivation writes it, so loading the demo leaves it unchanged.
            news2.getMeta().addTag("https://charnwood.nhs.uk/fhir/CodeSystem/derivation", "news2",
                    "NEWS2 derived by Charnwood");
            news2.addInterpretation(new Code("https://charnwood.nhs.uk/fhir/CodeSystem/news2-clinical-risk",
                    set.riskCode(), null).concept().setText(set.riskLabel() + " clinical risk"));
            news2SubScore(news2, "1104301000000104", "respiration rate", set.respirationScore());
            news2SubScore(news2, "1104311000000102", "oxygen saturation scale 1", set.spo2Score());
            news2SubScore(news2, "1104331000000105", "air or oxygen", set.onOxygen() ? 2 : 0);
            news2SubScore(news2, "1104341000000101", "systolic blood pressure", set.systolicScore());
            news2SubScore(news2, "1104351000000103", "pulse", set.pulseScore());
            news2SubScore(news2, "1104361000000100", "consciousness", set.acvpu() == 'A' ? 0 : 3);
            news2SubScore(news2, "1104371000000107", "temperature", set.temperatureScore());
            for (Observation part : parts) {
                news2.addDerivedFrom(reference(part));
            }
        }
    }

    private static Quantity scoreQuantity(int score) {
        return new Quantity().setValue(score).setUnit("score").setSystem(Code.UCUM).setCode("{score}");
    }

    private static void news2SubScore(Observation news2, String code, String parameter, int score) {
        news2.addComponent().setCode(Code.snomed(code,
                        "Royal College of Physicians NEWS2 (National Early Warning Score 2) - " + parameter + " score")
                .concept()).setValue(scoreQuantity(score));
    }

    private Observation vital(Encounter encounter, StaffMember by, LocalDateTime when, String baseProfile,
                              List<Code> codes, Quantity value) {
        Observation observation = observationShell(encounter, by, when);
        observation.getMeta().addProfile(UkCore.VITAL_SIGNS);
        observation.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/" + baseProfile);
        CodeableConcept code = new CodeableConcept();
        codes.forEach(c -> code.addCoding(c.coding()));
        code.setText(codes.get(codes.size() - 1).display());
        observation.setCode(code);
        observation.setValue(value);
        add(observation);
        return observation;
    }

    private Observation bloodPressure(Encounter encounter, StaffMember by, LocalDateTime when, VitalSignsSet set) {
        Observation observation = observationShell(encounter, by, when);
        observation.getMeta().addProfile(UkCore.VITAL_SIGNS);
        observation.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/bp");
        observation.setCode(new CodeableConcept().addCoding(BP_PANEL_LOINC.coding()).addCoding(BLOOD_PRESSURE.coding())
                .setText(BLOOD_PRESSURE.display()));
        observation.addComponent().setCode(new CodeableConcept().addCoding(SYSTOLIC_LOINC.coding())
                        .addCoding(SYSTOLIC.coding()).setText(SYSTOLIC.display()))
                .setValue(quantity(set.systolic(), "mmHg", "mm[Hg]"));
        observation.addComponent().setCode(new CodeableConcept().addCoding(DIASTOLIC_LOINC.coding())
                        .addCoding(DIASTOLIC.coding()).setText(DIASTOLIC.display()))
                .setValue(quantity(set.diastolic(), "mmHg", "mm[Hg]"));
        add(observation);
        return observation;
    }

    private Observation simpleObservation(Encounter encounter, StaffMember by, LocalDateTime when, Code code,
                                          Code value) {
        Observation observation = observationShell(encounter, by, when);
        observation.setCode(code.concept());
        if (value != null) {
            observation.setValue(value.concept());
        }
        add(observation);
        return observation;
    }

    private void bodyWeight(Encounter encounter, StaffMember by, LocalDateTime when) {
        double kg = Math.round(dice.gaussian(person.female() ? 72 : 84, 12) * 10) / 10.0;
        vital(encounter, by, when, "bodyweight", List.of(BODY_WEIGHT_LOINC, BODY_WEIGHT),
                quantity(Math.max(40, kg), "kg", "kg"));
    }

    private Observation observationShell(Encounter encounter, StaffMember by, LocalDateTime when) {
        Observation observation = new Observation();
        observation.getMeta().addProfile(UkCore.OBSERVATION);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(VITAL_SIGNS_CATEGORY.concept());
        observation.setSubject(patientRef.copy());
        observation.setEncounter(reference(encounter));
        observation.setEffective(dateTime(when));
        observation.addPerformer(staffReference(by));
        return observation;
    }

    private static Quantity quantity(double value, String unit, String ucum) {
        Quantity quantity = new Quantity().setUnit(unit).setSystem(Code.UCUM).setCode(ucum);
        if (value == Math.rint(value)) {
            quantity.setValue((long) value);
        } else {
            quantity.setValue(value);
        }
        return quantity;
    }

    // ----- prescriptions ------------------------------------------------------------------------------------

    private void trustPrescriptions(Team team, Condition reason, LocalDate start, LocalDate end,
                                    EpisodeOfCare episode) {
        List<StaffMember> prescribers = team.prescribers();
        if (prescribers.isEmpty() || reason == null) {
            return;
        }
        for (Medicine medicine : Medicine.values()) {
            if (medicine.treats(reason.getCode().getCodingFirstRep().getCode()) && dice.chance(0.5)) {
                medicationRequest(medicine, reason, start.plusDays(dice.between(0, 7)), end,
                        staffReference(dice.pick(prescribers)), false);
            }
        }
    }

    /** GP prescriptions for long-term conditions, shared into the record (UK Core category "primarycare"). */
    private void primaryCarePrescriptions() {
        for (Map.Entry<String, Condition> entry : conditions.entrySet()) {
            Condition condition = entry.getValue();
            for (Medicine medicine : Medicine.values()) {
                if (medicine.treats(entry.getKey()) && dice.chance(0.55)) {
                    LocalDate onset = onsets.get(entry.getKey());
                    medicationRequest(medicine, condition, onset.plusDays(dice.between(0, 28)), null,
                            new Reference("Organization/" + person.practice().organizationId())
                                    .setDisplay(person.practice().name()), true);
                }
            }
        }
    }

    private void medicationRequest(Medicine medicine, Condition reason, LocalDate authored, LocalDate episodeEnd,
                                   Reference requester, boolean primaryCare) {
        if (authored.isAfter(today)) {
            authored = today.minusDays(1);
        }
        MedicationRequest request = new MedicationRequest();
        request.getMeta().addProfile(UkCore.MEDICATION_REQUEST);
        boolean longTerm = medicine.longTerm();
        boolean stillTaking = longTerm ? dice.chance(0.85) && (episodeEnd == null || !episodeEnd.isBefore(today))
                : ChronoUnit.DAYS.between(authored, today) < 7;
        request.setStatus(stillTaking ? MedicationRequest.MedicationRequestStatus.ACTIVE
                : longTerm ? MedicationRequest.MedicationRequestStatus.STOPPED
                : MedicationRequest.MedicationRequestStatus.COMPLETED);
        request.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        request.addCategory(primaryCare
                ? new Code("https://fhir.hl7.org.uk/CodeSystem/UKCore-MedicationRequestCategory", "primarycare",
                "Primary Care").concept()
                : new Code("http://terminology.hl7.org/CodeSystem/medicationrequest-category", "community",
                "Community").concept());
        request.setMedication(medicine.code().concept());
        request.setSubject(patientRef.copy());
        request.setAuthoredOnElement(dateTime(authored.atTime(dice.between(9, 17), 0)));
        request.setRequester(requester);
        request.addReasonReference(reference(reason));
        request.setCourseOfTherapyType(longTerm
                ? new Code("http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy", "continuous",
                "Continuous long term therapy").concept()
                : new Code("http://terminology.hl7.org/CodeSystem/medicationrequest-course-of-therapy", "acute",
                "Short course (acute) therapy").concept());
        org.hl7.fhir.r4.model.Dosage dosage = request.addDosageInstruction().setText(medicine.dosage());
        if (medicine.timesPerDay() > 0) {
            dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent()
                    .setFrequency(medicine.timesPerDay()).setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)));
        } else {
            dosage.setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
        }
        if (!medicine.inhaled()) {
            dosage.setRoute(ORAL_ROUTE.concept());
        }
        dosage.addDoseAndRate().setDose(new SimpleQuantity().setValue(medicine.dose())
                .setUnit(medicine.inhaled() ? "puff" : "tablet"));
        request.getSubstitution().setAllowed(new org.hl7.fhir.r4.model.BooleanType(true));
        add(request);
    }

    // ----- plumbing -----------------------------------------------------------------------------------------

    private void add(Resource resource) {
        resource.setId(dice.uuid());
        resources.add(resource);
    }

    private Reference reference(Resource resource) {
        return new Reference(style.reference(resource.fhirType(), resource.getIdElement().getIdPart()));
    }

    private static Reference staffReference(StaffMember member) {
        return new Reference("PractitionerRole/" + member.practitionerRoleId()).setDisplay(member.displayName());
    }

    private static Period period(LocalDateTime start, LocalDateTime end) {
        Period period = new Period().setStartElement(dateTime(start));
        if (end != null) {
            period.setEndElement(dateTime(end));
        }
        return period;
    }

    private static DateTimeType dateTime(LocalDateTime when) {
        return new DateTimeType(Date.from(when.atZone(LONDON).toInstant()),
                ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND, LONDON_TZ);
    }

    private static org.hl7.fhir.r4.model.InstantType instant(LocalDateTime when) {
        return new org.hl7.fhir.r4.model.InstantType(Date.from(when.atZone(LONDON).toInstant()),
                ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND, LONDON_TZ);
    }

    /** A patient who is on a ward today, in the bed the trust directory shows as occupied for them. */
    record CurrentAdmission(TrustService service, Bed bed, int daysSoFar) {
    }
}
