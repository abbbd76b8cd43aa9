package org.charnwood.app.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A page handler that answers a search form. The form is posted (so that what was searched for, an NHS number or
 * a name and date of birth, stays out of addresses and logs), but nothing is changed: its record is a query
 * (action E), so that a review of changes to a patient's record does not list every search that found them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AuditedAsSearch {
}
