/**
 * Break-glass: time-limited emergency access to one patient's record for a member of staff without a
 * legitimate relationship, stored in PostgreSQL, announced as {@link org.charnwood.app.security.BreakGlassGranted}
 * and listed for information governance review.
 */
package org.charnwood.app.security.breakglass;
