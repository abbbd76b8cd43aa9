package org.charnwood.app.bulkexport;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One bulk export as it stands.
 *
 * @param id              the job's id, in its status URL
 * @param client          the client that asked for it; nobody else may see it
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
public record ExportJob(UUID id, String client, String level, String groupId, List<String> types, Instant since,
                        String request, String status, Instant transactionTime, long exported, String progress,
                        String error, Instant expires) {

    public boolean finished() {
        return status.equals("completed") || status.equals("failed") || status.equals("cancelled");
    }

    /** One NDJSON file of a completed job: its number, resource type and how many resources it holds. */
    public record File(int n, String type, int count) {
    }

    /** A file's content and the patients whose data it holds. */
    public record Content(String type, String ndjson, List<String> patients) {
    }
}
