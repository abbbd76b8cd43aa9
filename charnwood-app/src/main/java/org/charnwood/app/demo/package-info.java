/**
 * Demo data: a synthetic trust and patient population loaded at first start when enabled, so that
 * a newcomer sees a working record at once. Writes only through the FHIR repository; never enabled
 * in production.
 */
package org.charnwood.app.demo;
