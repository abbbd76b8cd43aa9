/**
 * The staff clinical workspace in the browser: finding a patient, the patient banner and record summary,
 * the bedside observations form with its NEWS2 result, and the ward board and team caseload with open
 * escalations. Pages are rendered on the server and work without JavaScript; every form write is one
 * repository transaction. See docs/workspace.md.
 */
package org.charnwood.app.workspace;
