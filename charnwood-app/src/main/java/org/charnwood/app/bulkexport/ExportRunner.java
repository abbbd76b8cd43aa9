package org.charnwood.app.bulkexport;

import org.charnwood.app.audit.PatientsConcerned;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.RedactedFailure;
import org.charnwood.fhir.StoredResource;
import org.charnwood.fhir.compartment.PatientCompartment;
import org.charnwood.fhir.search.AccessScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs bulk exports in the background, one at a time, so an export never competes with another for the
 * database: for each type in turn it reads the resources in key order, in batches, under the access scope the
 * client was granted for that type, and stores NDJSON files of up to {@code fileResources} resources, each with
 * the patients whose data it holds (named in the audit record when the file is fetched). An export since an instant
 * then lists the resources of the type deleted since, as the Bulk Data IG's {@code deleted} files: NDJSON of
 * transaction Bundles with one DELETE entry each, under the same scope. A patient- or group-level export holds, of
 * a type outside the Patient compartment, only the instances the compartment resources it wrote refer to. A
 * cancelled job stops at
 * its next batch. Every minute the server shows its jobs are alive, fails any job whose server has stopped, and
 * removes jobs whose files have expired.
 */
public class ExportRunner implements AutoCloseable {

    /**
     * The kick-off's decisions: the job, and for each type the scope under which it is read ({@code scopes}: what
     * the client may see, narrowed to what the export selects, such as a Group's members) and what the client may
     * see of it ({@code access}), which a resource changed since the transaction time must still pass now.
     */
    public record Plan(ExportJob job, Map<String, AccessScope> scopes, Map<String, AccessScope> access) {

        /** A plan that selects nothing beyond what the client may see. */
        public Plan(ExportJob job, Map<String, AccessScope> scopes) {
            this(job, scopes, scopes);
        }
    }

    static final int BATCH = 500;
    static final int IDS_PER_SEARCH = 100;
    private static final Duration STALE = Duration.ofMinutes(10);
    private static final Logger log = LoggerFactory.getLogger(ExportRunner.class);

    private final ExportJobs jobs;
    private final FhirRepository repository;
    private final Clock clock;
    private final int fileResources;
    private final Duration retention;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("bulk-export").daemon(true).factory());
    private final java.util.concurrent.ScheduledExecutorService housekeeping =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bulk-export-housekeeping")
                    .daemon(true).factory());
    private final Set<UUID> held = ConcurrentHashMap.newKeySet();

    public ExportRunner(ExportJobs jobs, FhirRepository repository, Clock clock, int fileResources,
                        Duration retention) {
        this.jobs = jobs;
        this.repository = repository;
        this.clock = clock;
        this.fileResources = fileResources;
        this.retention = retention;
        housekeeping.scheduleWithFixedDelay(this::housekeep, 1, 1, TimeUnit.MINUTES);
    }

    /** Records the job and queues it; returns at once. */
    public void submit(Plan plan) {
        jobs.create(plan.job(), clock.instant());
        held.add(plan.job().id());
        worker.submit(() -> {
            try {
                run(plan);
            } finally {
                held.remove(plan.job().id());
            }
        });
    }

    void run(Plan plan) {
        ExportJob job = plan.job();
        UUID id = job.id();
        if (!jobs.start(id)) {
            return;
        }
        try {
            Output.Numbering numbering = new Output.Numbering();
            Output output = new Output(id, false, numbering);
            Output deletions = new Output(id, true, numbering);
            // A patient- or group-level export holds the patients' compartments; of a type outside the compartment
            // (Practitioner, Organization, Medication...) only the resources those compartment resources refer to,
            // so the compartment types go first and their references are gathered as they are written.
            boolean ofPatients = !"system".equals(job.level());
            List<String> order = new ArrayList<>(job.types());
            Map<String, Set<String>> referenced = new HashMap<>();
            if (ofPatients) {
                order.sort(java.util.Comparator.comparing(t -> !inCompartment(t)));
                for (String type : job.types()) {
                    if (!inCompartment(type)) {
                        referenced.put(type, new TreeSet<>());
                    }
                }
            }
            for (String type : order) {
                jobs.progress(id, progress(type, numbering.exported));
                AccessScope scope = plan.scopes().get(type);
                AccessScope access = plan.access().get(type);
                List<AccessScope> selections = referenced.containsKey(type)
                        ? onlyInstances(scope, type, referenced.get(type)) : List.of(scope);
                for (AccessScope selection : selections) {
                    if (!export(type, job, selection, access, output, ofPatients ? referenced : Map.of())) {
                        return;
                    }
                }
                if (output.count > 0 && !output.store(type)) {
                    return;
                }
                if (job.since() != null) {
                    for (AccessScope selection : selections) {
                        if (!listDeleted(type, job, selection, access, deletions)) {
                            return;
                        }
                    }
                    if (deletions.count > 0 && !deletions.store(type)) {
                        return;
                    }
                }
            }
            Instant now = clock.instant();
            jobs.complete(id, now, now.plus(retention));
        } catch (RuntimeException e) {
            // Without the messages: an export reads every kind of record, and a failure's message can quote one.
            log.error("bulk export {} failed", id, RedactedFailure.of(e));
            Instant now = clock.instant();
            jobs.fail(id, "The export failed on the server; start it again, or ask the service desk if it fails again",
                    now, now.plus(retention));
        }
    }

    /**
     * Writes the resources of {@code type} the selection holds, noting in {@code referenced} the instances they
     * refer to of the types listed there; false if the job was cancelled.
     */
    private boolean export(String type, ExportJob job, AccessScope scope, AccessScope access, Output output,
                           Map<String, Set<String>> referenced) {
        boolean collect = !referenced.isEmpty() && inCompartment(type);
        return inBatches(type, job, output, after -> repository.exportBatch(type, job.since(),
                job.transactionTime(), after, BATCH, scope, access), r -> {
            output.add(r);
            if (collect) {
                References.collect(r.json(), referenced);
            }
        });
    }

    /**
     * Adds to the deletion files the resources of {@code type} the selection holds that were deleted since; false
     * if the job was cancelled.
     */
    private boolean listDeleted(String type, ExportJob job, AccessScope scope, AccessScope access, Output deletions) {
        return inBatches(type, job, deletions, after -> repository.exportDeletedBatch(type, job.since(),
                job.transactionTime(), after, BATCH, scope, access), deletions::addDeleted);
    }

    /**
     * Reads the batches {@code batchAfter} gives (each after the last key of the one before) until one comes back
     * short, handing each resource to {@code each} and storing the output's file whenever it is full; false if
     * the job was cancelled or a file could not be stored.
     */
    private boolean inBatches(String type, ExportJob job, Output output,
                              java.util.function.LongFunction<List<StoredResource>> batchAfter,
                              java.util.function.Consumer<StoredResource> each) {
        long after = 0;
        while (true) {
            List<StoredResource> batch = batchAfter.apply(after);
            for (StoredResource r : batch) {
                each.accept(r);
                if (output.count == fileResources && !output.store(type)) {
                    return false;
                }
            }
            if (batch.size() < BATCH) {
                return true;
            }
            after = batch.get(batch.size() - 1).pk();
            if (!jobs.running(job.id())) {
                return false;
            }
        }
    }

    /** Whether resources of the type belong to patients' compartments (a Patient to its own). */
    static boolean inCompartment(String type) {
        return "Patient".equals(type) || PatientCompartment.get().membership().containsKey(type);
    }

    /**
     * The scope narrowed to the instances named, as {@code _id} searches of up to {@link #IDS_PER_SEARCH} ids each
     * (and to whatever search the scope already asks of the type): none for no instances. The search is judged on
     * the version exported, like any other selection.
     */
    static List<AccessScope> onlyInstances(AccessScope scope, String type, Set<String> ids) {
        List<AccessScope> out = new ArrayList<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_SEARCH) {
            String query = "_id=" + String.join(",", all.subList(from, Math.min(all.size(), from + IDS_PER_SEARCH)));
            List<String> granted = scope.typeFilters().get(type);
            List<String> combined = new ArrayList<>();
            if (granted == null) {
                combined.add(query);
            } else {
                granted.forEach(g -> combined.add(g + "&" + query));
            }
            Map<String, List<String>> filters = new java.util.LinkedHashMap<>(scope.typeFilters());
            filters.put(type, combined);
            out.add(scope.withTypeFilters(filters));
        }
        return out;
    }

    /** The status response's {@code X-Progress} while {@code type} is exported. */
    private static String progress(String type, long exported) {
        return "Exporting " + type + " (" + exported + " resources so far)";
    }

    /** The file being filled (of resources, or of deletions), and how far the job has got. */
    private final class Output {

        /** The job's files, of resources and of deletions, are numbered in one sequence. */
        static final class Numbering {
            private int files;
            private long exported;
        }

        private final UUID job;
        private final boolean deleted;
        private final Numbering numbering;
        private final StringBuilder ndjson = new StringBuilder();
        private final Set<String> patients = new TreeSet<>();
        private int count;

        Output(UUID job, boolean deleted, Numbering numbering) {
            this.job = job;
            this.deleted = deleted;
            this.numbering = numbering;
        }

        void add(StoredResource r) {
            // Compact JSON holds no line breaks but between tokens, where a space does as well.
            ndjson.append(r.json().replace('\n', ' ').replace('\r', ' ')).append('\n');
            PatientsConcerned.collect(r.type(), r.id(), r.json(), patients);
            count++;
        }

        /**
         * A line saying the resource was deleted: a transaction Bundle with one DELETE entry, as the IG asks. Its
         * last version tells whose it was, for the record of the file's download.
         */
        void addDeleted(StoredResource lastVersion) {
            ndjson.append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"request\":"
                    + "{\"method\":\"DELETE\",\"url\":\"").append(lastVersion.type()).append('/')
                    .append(lastVersion.id()).append("\"}}]}\n");
            PatientsConcerned.collect(lastVersion.type(), lastVersion.id(), lastVersion.json(), patients);
            count++;
        }

        /** Stores the file and starts the next; false when the job was cancelled meanwhile. */
        boolean store(String type) {
            if (!deleted) {
                numbering.exported += count;
            }
            boolean stored = jobs.addFile(job, ++numbering.files, type, deleted, count, new ArrayList<>(patients),
                    ndjson.toString(), numbering.exported, progress(type, numbering.exported));
            ndjson.setLength(0);
            patients.clear();
            count = 0;
            return stored;
        }
    }

    /** Shows this server's jobs are alive, fails jobs whose server stopped, removes expired ones (every minute). */
    void housekeep() {
        try {
            Instant now = clock.instant();
            jobs.heartbeat(held, now);
            int abandoned = jobs.abandon(now.minus(STALE), "The server running the export stopped; start it again",
                    now, now.plus(retention));
            if (abandoned > 0) {
                log.warn("{} bulk exports abandoned by a server that stopped", abandoned);
            }
            jobs.purgeExpired(now);
        } catch (RuntimeException e) {
            // Its SQL writes the jobs' rows, which list the patients exported: a database message could quote them.
            log.warn("bulk export housekeeping failed: {}", RedactedFailure.summary(e));
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        worker.shutdownNow();
    }
}
