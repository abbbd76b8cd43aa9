/**
 * Bedside observations and NEWS2: the Royal College of Physicians' scoring, the clinical risk and monitoring
 * frequency it gives, and (built on it) the derived score Observations and escalation.
 */
package org.charnwood.app.observations;
