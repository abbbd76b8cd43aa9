/**
 * The staff clinical workspace in the browser: finding a patient, the patient banner and record summary,
 * the bedside observations form with its NEWS2 result, the ward board and team caseload with open
 * escalations, a practitioner's own caseload, recording a contact (an Encounter with SNOMED CT coded reason and
 * outcome and a clinical note) and closing an episode of care. Pages are rendered on the server and work without JavaScript; every form write is one
 * repository transaction. See docs/workspace.md.
 */
package org.charnwood.app.workspace;
