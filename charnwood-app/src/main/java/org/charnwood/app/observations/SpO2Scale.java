package org.charnwood.app.observations;

/**
 * Which oxygen saturation scale NEWS2 scores. Scale 1 is the default for every patient; scale 2 is only for
 * confirmed hypercapnic respiratory failure with a prescribed target of 88–92%, a clinician's documented
 * decision that is never inferred from a diagnosis.
 */
public enum SpO2Scale { SCALE_1, SCALE_2 }
