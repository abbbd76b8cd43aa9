/** {@code ./charnwood import}: loads NDJSON files through a running server's {@code $import}. */
package org.charnwood.app.bulkimport;
