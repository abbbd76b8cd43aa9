package org.charnwood.bench;

/** One benchmark phase: runs, measures, and says what it measured. */
interface Phase {

    Report run() throws Exception;
}
