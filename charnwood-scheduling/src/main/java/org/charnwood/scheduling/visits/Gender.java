package org.charnwood.scheduling.visits;

/** A staff member's gender, and the one a patient may ask their nurse to be (FHIR administrative gender). */
public enum Gender { FEMALE, MALE }
