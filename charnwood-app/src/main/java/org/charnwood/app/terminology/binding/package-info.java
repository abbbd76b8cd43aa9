/**
 * The parts of the binding check that are not its public face: finding every Coding of a resource with its
 * FHIRPath, and judging one SNOMED CT or dm+d code against the served releases.
 */
package org.charnwood.app.terminology.binding;
