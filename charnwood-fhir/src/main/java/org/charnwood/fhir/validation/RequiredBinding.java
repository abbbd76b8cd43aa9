package org.charnwood.fhir.validation;

/**
 * A required binding on an element; its expansion is worked out the first time an instance uses
 * the element, so start-up does not expand hundreds of value sets nobody sends.
 */
final class RequiredBinding {
    final String valueSet;
    private final Terminology terminology;
    private volatile ValueSetMembership membership;

    RequiredBinding(String valueSet, Terminology terminology) {
        this.valueSet = valueSet;
        this.terminology = terminology;
    }

    ValueSetMembership membership() {
        ValueSetMembership m = membership;
        if (m == null) {
            m = terminology.expand(valueSet);
            membership = m;
        }
        return m;
    }
}
