package org.charnwood.terminology.snomed;

/**
 * Told how a release load is going, file by file, so a command line or an admin screen can show progress on a
 * load that takes minutes. Every method has a do-nothing default.
 */
public interface ImportListener {

    ImportListener NONE = new ImportListener() {
    };

    default void fileStarted(ReleaseFiles.Rf2File file) {
    }

    /** A file was read: how many rows it had and how many of them were stored. */
    default void fileFinished(ReleaseFiles.Rf2File file, long rowsRead, long rowsStored) {
    }

    /** A step that is not a file (indexing, switching the served release). */
    default void step(String description) {
    }
}
