package org.charnwood.demo;

/**
 * One round of observations as a nurse takes them for NEWS2: respiration rate, SpO2 (scale 1), air or oxygen,
 * blood pressure, pulse, consciousness and temperature. Values are drawn around an acuity so that most rounds
 * are unremarkable and a few would trigger a response.
 */
record VitalSignsSet(int respiratoryRate, int spo2, boolean onOxygen, int systolic, int diastolic, int pulse,
                     char acvpu, double temperature) {

    enum Acuity { WELL, UNSETTLED, UNWELL }

    static VitalSignsSet draw(Dice dice, Acuity acuity, boolean copd) {
        return switch (acuity) {
            case WELL -> new VitalSignsSet(dice.between(12, 20), copd ? dice.between(92, 97) : dice.between(95, 99),
                    false, dice.between(112, 150), dice.between(65, 90), dice.between(58, 90), 'A',
                    round1(dice.between(36.2, 37.4)));
            case UNSETTLED -> new VitalSignsSet(dice.between(18, 23), dice.between(92, 96), dice.chance(0.1),
                    dice.between(100, 165), dice.between(60, 95), dice.between(80, 108), 'A',
                    round1(dice.between(36.5, 38.4)));
            case UNWELL -> new VitalSignsSet(dice.between(22, 28), dice.between(88, 94), dice.chance(0.5),
                    dice.between(88, 112), dice.between(50, 75), dice.between(100, 128),
                    dice.chance(0.7) ? 'A' : dice.chance(0.7) ? 'C' : 'V', round1(dice.between(37.8, 39.6)));
        };
    }

    private static double round1(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Aggregate NEWS2 (Royal College of Physicians, 2017), SpO2 scale 1. */
    int news2() {
        return respirationScore() + spo2Score() + (onOxygen ? 2 : 0) + systolicScore() + pulseScore()
                + (acvpu == 'A' ? 0 : 3) + temperatureScore();
    }

    /** The clinical risk band, coded as the platform's NEWS2 derivation codes it. */
    String riskCode() {
        int total = news2();
        if (total >= 7) {
            return "high";
        }
        if (total >= 5) {
            return "medium";
        }
        boolean redScore = respirationScore() == 3 || spo2Score() == 3 || systolicScore() == 3 || pulseScore() == 3
                || acvpu != 'A' || temperatureScore() == 3;
        return redScore ? "low-medium" : "low";
    }

    String riskLabel() {
        return switch (riskCode()) {
            case "high" -> "High";
            case "medium" -> "Medium";
            case "low-medium" -> "Low-medium";
            default -> "Low";
        };
    }

    int respirationScore() {
        if (respiratoryRate <= 8) {
            return 3;
        }
        if (respiratoryRate <= 11) {
            return 1;
        }
        if (respiratoryRate <= 20) {
            return 0;
        }
        return respiratoryRate <= 24 ? 2 : 3;
    }

    int spo2Score() {
        if (spo2 <= 91) {
            return 3;
        }
        if (spo2 <= 93) {
            return 2;
        }
        return spo2 <= 95 ? 1 : 0;
    }

    int systolicScore() {
        if (systolic <= 90) {
            return 3;
        }
        if (systolic <= 100) {
            return 2;
        }
        if (systolic <= 110) {
            return 1;
        }
        return systolic <= 219 ? 0 : 3;
    }

    int pulseScore() {
        if (pulse <= 40) {
            return 3;
        }
        if (pulse <= 50) {
            return 1;
        }
        if (pulse <= 90) {
            return 0;
        }
        if (pulse <= 110) {
            return 1;
        }
        return pulse <= 130 ? 2 : 3;
    }

    int temperatureScore() {
        if (temperature <= 35.0) {
            return 3;
        }
        if (temperature <= 36.0) {
            return 1;
        }
        if (temperature <= 38.0) {
            return 0;
        }
        return temperature <= 39.0 ? 1 : 2;
    }
}
