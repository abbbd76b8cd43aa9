package org.charnwood.fhir;

import java.time.Instant;

/**
 * What a write did, for the response: the HTTP status it implies and the version it left.
 *
 * @param json the stored JSON of the resulting version; null after a delete or when nothing changed
 */
public record WriteResult(Kind kind, String type, String id, int version, Instant lastUpdated, String json) {

    /** The possible outcomes of a write. */
    public enum Kind {
        CREATED(201), UPDATED(200), DELETED(204), NOTHING_TO_DELETE(204),
        /** A conditional create found the resource already there: nothing written. */
        ALREADY_EXISTS(200);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public String location() {
        return type + "/" + id + "/_history/" + version;
    }
}
