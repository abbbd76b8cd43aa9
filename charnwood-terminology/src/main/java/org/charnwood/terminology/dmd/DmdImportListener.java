package org.charnwood.terminology.dmd;

/**
 * Hears how a dm+d import is going, for a progress bar or an operator's console. Calls come on the importing
 * thread; every method has a do-nothing default.
 */
public interface DmdImportListener {

    DmdImportListener NONE = new DmdImportListener() {
    };

    /** A release file is about to be read. */
    default void fileStarted(String file) {
    }

    /** Another {@link DmdImporter#PROGRESS_EVERY} records of the file have been read and checked. */
    default void progress(String file, long records) {
    }

    default void fileFinished(String file, long records) {
    }

    /** The release is complete, consistent and now the one served. */
    default void switched(DmdImportResult result) {
    }
}
