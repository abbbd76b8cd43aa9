package org.charnwood.terminology.snomed;

/**
 * One row of a map refset: from a SNOMED CT concept to a code in another scheme (Read v2, CTV3, ICD-10 ...).
 * Group, priority, rule, advice and correlation are null for simple maps.
 */
public record MapTarget(long refsetId, long conceptId, String target, Integer group, Integer priority, String rule,
                        String advice, Long correlationId) {
}
