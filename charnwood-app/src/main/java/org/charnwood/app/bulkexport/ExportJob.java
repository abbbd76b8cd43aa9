package org.charnwood.app.bulkexport;

import org.charnwood.app.security.ReadScopes;
import org.charnwood.app.security.Requester;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One bulk export as it stands.
 *
 * @param id              the job's id, in its status URL
 * @param owner           who asked for it; nobody else may see it
 * @param level           {@code system}, {@code patient} or {@code group}
 * @param groupId         the Group whose members' data is exported (group level only)
 * @param types           the resource types exported, in the order they are written
 * @param since           only resources changed after this (the {@code _since} parameter); null for all
 * @param request         the kick-off request's URL
 * @param status          {@code accepted}, {@code running}, {@code completed}, {@code failed} or {@code cancelled}
 * @param transactionTime nothing changed after this instant is in the export
 * @param exported        resources written to files so far
 * @param progress        what the export is doing, in words (the status response's {@code X-Progress})
 * @param error           why it failed; null unless failed
 * @param expires         when the job and its files are removed; null while it runs
 */
public record ExportJob(UUID id, Owner owner, String level, String groupId, List<String> types, Instant since,
                        String request, String status, Instant transactionTime, long exported, String progress,
                        String error, Instant expires) {

    /** The client that asked for the export. */
    public String client() {
        return owner.client();
    }

    /**
     * Who started an export: the client, the token's subject and {@code fhirUser} (null for a backend service),
     * and the scopes the token was granted then, which the token fetching the files must still cover; null when
     * not recorded (a job started before they were).
     */
    public record Owner(String client, String subject, String fhirUser, List<String> scopes) {

        public Owner {
            Objects.requireNonNull(client, "client");
            scopes = scopes == null ? null : List.copyOf(scopes);
        }

        /** The requester as the owner of the export it starts. */
        public static Owner of(Requester requester) {
            return new Owner(requester.clientId(), requester.subject(), requester.fhirUser(), requester.scopes());
        }

        /** Whether the requester is the one who started the export: the same client, and the same person if any. */
        public boolean startedBy(Requester requester) {
            return client.equals(requester.clientId()) && Objects.equals(subject, requester.subject())
                    && Objects.equals(fhirUser, requester.fhirUser());
        }

        /**
         * The read permissions of the kick-off's scopes that none of {@code presented} grants: the token that
         * fetches an export's files or status must still read (and search) whatever the kick-off's could, with the
         * same or no search restriction. All of them when the kick-off's scopes were not recorded.
         */
        public List<String> readsNotCoveredBy(List<String> presented) {
            if (scopes == null) {
                return List.of("(the scopes this export was started with were not recorded)");
            }
            return ReadScopes.notCoveredBy(scopes, presented);
        }
    }

    public boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    /**
     * One NDJSON file of a completed job: its number, resource type and how many resources it holds; or, when
     * {@code deleted}, how many Bundles listing deleted resources of that type.
     */
    public record File(int n, String type, int count, boolean deleted) {
    }

    /** A file's content and the patients whose data it holds. */
    public record Content(String type, String ndjson, List<String> patients) {
    }
}
