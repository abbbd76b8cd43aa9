/**
 * The access policy's parts: the table of what each role may do, the classes of resource it tells apart,
 * SMART scope parsing, sensitivity labels, legitimate relationships and proxy consents, and the policy that
 * combines them into an {@link org.charnwood.fhir.search.AccessScope} for the repository.
 */
package org.charnwood.app.security.policy;
