/**
 * Test support for the terminology module: a real embedded PostgreSQL migrated with the terminology migrations,
 * and the paths of the sample releases.
 */
package org.charnwood.terminology.testing;
