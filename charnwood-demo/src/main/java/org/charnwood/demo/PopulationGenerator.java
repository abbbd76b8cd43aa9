package org.charnwood.demo;

import org.charnwood.demo.PatientHistory.CurrentAdmission;
import org.charnwood.demo.TrustShape.Bed;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Generates the trust's synthetic patients, each with years of history: episodes of care per service,
 * contacts, problem list (SNOMED CT), allergies, vital signs with NEWS2, prescriptions (dm+d), care plans and
 * appointments, about forty resources a patient on average with a long tail of heavy users.
 *
 * <p>Deterministic: patient {@code i} depends only on the seed, {@code i} and the reference date, never on
 * which other patients were generated or in what order, so the stream may be consumed in parallel. The
 * generator holds no mutable state and is safe to share between threads.
 *
 * <p>A small share of patients (every twentieth index) are on a ward today: each takes one of the beds the
 * {@link TrustShape} marks occupied, alternately on a community hospital ward and on the mental health unit,
 * so a bed board built from the data never shows two people in one bed.
 */
public final class PopulationGenerator {

    private static final int ADMITTED_EVERY = 20;
    private static final int ADMITTED_OFFSET = 7;

    private final TrustShape trust;
    private final long seed;
    private final LocalDate today;
    private final List<Bed> communityBeds;
    private final List<Bed> mentalHealthBeds;

    public PopulationGenerator(TrustShape trust, long seed, LocalDate today) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.seed = seed;
        this.today = Objects.requireNonNull(today, "today");
        this.communityBeds = trust.wards(false).stream().flatMap(w -> w.occupiedBeds().stream()).toList();
        this.mentalHealthBeds = trust.wards(true).stream().flatMap(w -> w.occupiedBeds().stream()).toList();
    }

    public PopulationGenerator(TrustShape trust, PopulationSpec spec) {
        this(trust, spec.seed(), spec.today());
    }

    /** Patient number {@code index} (from 0) of this dataset. */
    public PatientRecord patient(int index, ReferenceStyle style) {
        NhsNumber nhsNumber = NhsNumber.testNumber(seed, index);
        Dice dice = new Dice(Dice.mix(seed, index));
        CurrentAdmission admission = admission(index, dice);
        CareProfile profile = admission == null
                ? dice.weighted(List.of(CareProfile.values()), CareProfile::weight)
                : admission.service() == TrustService.MENTAL_HEALTH_INPATIENTS
                ? CareProfile.SEVERE_MENTAL_ILLNESS : CareProfile.FRAIL_OLDER_ADULT;
        return new PatientHistory(trust, dice, style, today).write(index, nhsNumber, profile, admission);
    }

    /** Patients 0 to {@code count - 1}, generated lazily one at a time. */
    public Stream<PatientRecord> patients(int count, ReferenceStyle style) {
        return IntStream.range(0, count).mapToObj(i -> patient(i, style));
    }

    private CurrentAdmission admission(int index, Dice dice) {
        if (index % ADMITTED_EVERY != ADMITTED_OFFSET) {
            return null;
        }
        int slot = index / ADMITTED_EVERY;
        boolean mentalHealth = slot % 2 == 1;
        List<Bed> beds = mentalHealth ? mentalHealthBeds : communityBeds;
        int bedIndex = slot / 2;
        if (bedIndex >= beds.size()) {
            return null;
        }
        int daysSoFar = mentalHealth ? dice.between(1, 45) : dice.between(1, 25);
        return new CurrentAdmission(mentalHealth ? TrustService.MENTAL_HEALTH_INPATIENTS
                : TrustService.COMMUNITY_INPATIENTS, beds.get(bedIndex), daysSoFar);
    }
}
