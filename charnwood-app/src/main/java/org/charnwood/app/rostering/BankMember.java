package org.charnwood.app.rostering;

/** Someone on the staff bank, with the grade that decides which places they may fill. */
record BankMember(String practitionerId, String name, StaffGrade grade) {
}
