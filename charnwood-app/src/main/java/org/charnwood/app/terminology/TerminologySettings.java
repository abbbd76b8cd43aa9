package org.charnwood.app.terminology;

import org.charnwood.terminology.ecl.EclBudget;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code charnwood.terminology.*} settings.
 *
 * @param loadSamples load the bundled SNOMED CT sample (plus the demo code list) and dm+d sample when the
 *                    database serves no release of that kind (off unless set: only dev and demo set it)
 * @param binding     what a write with a code the served releases reject gets
 * @param readV2MapRefset the simple map refset from SNOMED CT to Read v2 in the served release, if it has one
 * @param eclMaxResultSize the most concepts one ECL evaluation may give (a bigger result is refused as too costly)
 */
@ConfigurationProperties("charnwood.terminology")
public record TerminologySettings(Boolean loadSamples, BindingMode binding, Integer eclMaxResultSize,
                                  Long readV2MapRefset) {

    public TerminologySettings {
        loadSamples = loadSamples != null && loadSamples;
        binding = binding == null ? BindingMode.REFUSE : binding;
        eclMaxResultSize = eclMaxResultSize == null ? EclBudget.standard().maxResultSize() : eclMaxResultSize;
    }

    /** The cost limits for ECL typed by clients (value set expansions, validate-code, typeahead). */
    public EclBudget eclBudget() {
        return EclBudget.standard().withMaxResultSize(eclMaxResultSize);
    }

    /** How codes are held to the served releases on write. */
    public enum BindingMode {
        /** A code the releases reject refuses the write (422). */
        REFUSE,
        /** Rejected codes are reported as warnings and the write goes ahead. */
        WARN,
        /** Codes are not checked. */
        OFF
    }
}
