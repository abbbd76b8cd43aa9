/**
 * Loading the bundled terminology samples into a database that serves no release, so a fresh install has
 * typeahead, ECL and binding checks at once. Production loads TRUD releases with the command-line loaders instead.
 */
package org.charnwood.app.terminology.serving;
