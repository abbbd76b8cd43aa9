package org.charnwood.fhir.bulk;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirFormat;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ResourceParser;
import org.charnwood.fhir.ResourceReferences;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The first pass of an import, before anything is written: every line parsed and validated as the write path
 * would (on several threads, a chunk at a time) and put to the application's own content check (its access
 * policy's security labels), and every local reference the lines make resolved against the resources of the import itself and then the store. Bad lines are collected with their numbers, up to
 * {@link #LIMIT}, so that one answer tells the sender everything to fix; memory holds only the ids of the
 * import and the targets of its references, never the resources.
 */
final class ImportCheck {

    /** Bad lines collected before checking stops: enough to show a pattern, few enough to read. */
    static final int LIMIT = 100;
    /** References looked up in the store in one query. */
    private static final int LOOKUP = 5000;

    private final String source;
    private final FhirRepository repository;
    private final ResourceParser parser = new ResourceParser();
    /** The issues of each bad line, by line number. */
    private final ConcurrentSkipListMap<Long, Refusal> refused = new ConcurrentSkipListMap<>();
    /** Every resource ({@code Type/id}) of the import. */
    private final Set<String> imported = ConcurrentHashMap.newKeySet();
    /** Each local resource referred to, with the first line (by number) that refers to it. */
    private final Map<String, Origin> referred = new ConcurrentHashMap<>();
    private final List<String> unresolvedAllowed = new ArrayList<>();

    /** The application's own check of a resource's content; throws a {@link FhirException} to refuse it. */
    private final Consumer<Resource> contentCheck;

    ImportCheck(String source, FhirRepository repository, Consumer<Resource> contentCheck) {
        this.source = source;
        this.repository = repository;
        this.contentCheck = contentCheck;
    }

    /** A line of the source with its number in it, blank lines counted. */
    record Line(long number, String text) {
    }

    private record Origin(long line, String resource) {
    }

    private record Refusal(int status, List<OperationOutcomeIssueComponent> issues) {
    }

    /** Whether enough bad lines have been found to stop checking. */
    boolean full() {
        return refused.size() >= LIMIT;
    }

    /** Parses and validates each line of a chunk, noting its id and the local resources it refers to. */
    void check(List<Line> lines) {
        for (Line line : lines) {
            if (full()) {
                return;
            }
            String key = null;
            try {
                Resource resource = parser.parse(line.text(), FhirFormat.JSON);
                String id = resource.getIdElement().getIdPart();
                if (id == null) {
                    throw FhirException.badRequest(ErrorCode.INVALID_BUNDLE, "the resource has no id");
                }
                WriteSession.requireValidId(id);
                key = resource.fhirType() + "/" + id;
                // Stamped as the write path stamps it before validating, so that the same resource is judged.
                resource.getMeta().setVersionId("1");
                resource.getMeta().setLastUpdated(Date.from(Instant.now()));
                List<OperationOutcomeIssueComponent> errors = repository.validate(resource).stream()
                        .filter(i -> i.getSeverity() == IssueSeverity.ERROR || i.getSeverity() == IssueSeverity.FATAL)
                        .toList();
                if (!errors.isEmpty()) {
                    throw FhirException.unprocessable(errors);
                }
                contentCheck.accept(resource);
                imported.add(key);
                for (Reference reference : ResourceReferences.of(resource)) {
                    String ownAddress = resource instanceof org.hl7.fhir.r4.model.Bundle ? null
                            : repository.ownAddressProblem(reference.getReference());
                    if (ownAddress != null) {
                        // Refused here as the write would refuse it, so the line is named.
                        throw FhirException.of(422, ErrorCode.INVALID_RESOURCE,
                                org.hl7.fhir.r4.model.OperationOutcome.IssueType.INVALID, ownAddress);
                    }
                    String target = repository.localTarget(reference.getReference());
                    if (target != null && !target.equals(key)) {
                        referred.merge(target, new Origin(line.number(), key),
                                (a, b) -> a.line() <= b.line() ? a : b);
                    }
                }
            } catch (FhirException e) {
                refuse(line.number(), key, e);
            } catch (RuntimeException e) {
                // A parser's or validator's own failure on odd input: still this line's fault, not the server's.
                refuse(line.number(), key, FhirException.badRequest(ErrorCode.INVALID_RESOURCE,
                        "the line cannot be read as a FHIR resource: " + e.getMessage()));
            }
        }
    }

    private void refuse(long line, String key, FhirException e) {
        // A line that could not be read has no resource to name; one that was read is named by its type and id.
        String where = source + " line " + line + (key == null ? "" : " (" + key + ")");
        refused.put(line, new Refusal(e.status(), ImportFailures.at(where, e).outcome().getIssue()));
    }

    /**
     * Once every line is checked: each local reference that names no resource of the import and no current
     * resource of the store is refused on the first line that makes it, or, where the repository allows dangling
     * references, kept to be reported.
     */
    void resolveReferences() {
        List<String> outside = new ArrayList<>();
        for (String target : referred.keySet()) {
            if (!imported.contains(target)) {
                outside.add(target);
            }
        }
        boolean refuse = repository.settings().refuseDanglingReferences();
        for (int from = 0; from < outside.size(); from += LOOKUP) {
            List<String> batch = outside.subList(from, Math.min(outside.size(), from + LOOKUP));
            Set<String> found = repository.existing(batch);
            for (String target : batch) {
                if (found.contains(target)) {
                    continue;
                }
                Origin origin = referred.get(target);
                if (!refuse) {
                    if (unresolvedAllowed.size() < LIMIT) {
                        unresolvedAllowed.add(origin.resource() + " -> " + target);
                    }
                } else if (!full() || refused.containsKey(origin.line())) {
                    FhirException dangling = FhirException.unprocessable(List.of(FhirException.issue(
                            IssueSeverity.ERROR, ErrorCode.DANGLING_REFERENCE, IssueType.NOTFOUND,
                            "The reference " + target + " resolves neither to a resource of this import nor to one"
                                    + " stored here", null)));
                    Refusal earlier = refused.get(origin.line());
                    Refusal now = new Refusal(422, ImportFailures.at(source + " line " + origin.line() + " ("
                            + origin.resource() + ")", dangling).outcome().getIssue());
                    if (earlier == null) {
                        refused.put(origin.line(), now);
                    } else {
                        earlier.issues().addAll(now.issues());
                    }
                }
            }
        }
    }

    /** References that resolve to nothing, where the repository allows them: {@code Type/id -> Type/id}. */
    List<String> unresolvedAllowed() {
        return unresolvedAllowed;
    }

    /**
     * The refusal of the whole import when any line is bad: every bad line's issues in line order (up to
     * {@link #LIMIT} lines), then a note that nothing was imported. 400 when every line was unreadable, else 422.
     */
    void refuseIfAnyBad() {
        if (refused.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        boolean allUnreadable = true;
        int lines = 0;
        for (Refusal refusal : refused.values()) {
            if (++lines > LIMIT) {
                break;
            }
            allUnreadable &= refusal.status() == 400;
            refusal.issues().forEach(outcome::addIssue);
        }
        String note = "Nothing was imported: " + Math.min(lines, LIMIT) + " line" + (lines == 1 ? " was" : "s were")
                + " refused" + (lines >= LIMIT ? " (checking stopped at the first " + LIMIT + ")" : "")
                + "; fix them and send the import again";
        outcome.addIssue(FhirException.issue(IssueSeverity.INFORMATION, null, IssueType.INFORMATIONAL, note, null));
        throw new FhirException(allUnreadable ? 400 : 422, outcome);
    }
}
