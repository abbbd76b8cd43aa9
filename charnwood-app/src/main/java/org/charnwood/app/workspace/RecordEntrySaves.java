package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.FhirAction;
import org.charnwood.app.web.FormErrors;
import org.charnwood.fhir.WriteSession;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;

import java.sql.SQLException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The save of a record entry form, the same for every kind of entry: check what was typed (the form again, with
 * its errors, when it is wrong), build the entry, ask the access policy about exactly what is to be written, write
 * it in one transaction, and go back to the record summary; a refusal by the repository is shown at the field
 * the kind names, and an entry someone else changed after the form was opened is shown as it is now. Each kind's
 * pages keep what is theirs: the form, how a new entry starts, and what else the save changes with it.
 */
@Component
class RecordEntrySaves {

    /** What a form's entry, once checked, is: null when it is not, with the reasons in the errors. */
    @FunctionalInterface
    interface Check<E> {
        E entry(FormErrors errors);
    }

    /** What else the save writes with the entry, in its transaction, once the policy allows the entry itself. */
    @FunctionalInterface
    interface Alongside<R, E> {
        void write(WriteSession session, R resource, E entry) throws SQLException;

        static <R, E> Alongside<R, E> nothing() {
            return (session, resource, entry) -> {
            };
        }
    }

    /** The form's page again, with what the person typed and what is wrong with it. */
    @FunctionalInterface
    interface Redisplay {
        String page(FormErrors errors);
    }

    private final RecordWrites writes;
    private final ClinicalRecord record;

    RecordEntrySaves(RecordWrites writes, ClinicalRecord record) {
        this.writes = writes;
        this.record = record;
    }

    /**
     * Adds an entry of the patient's: {@code started} makes the new resource (with who recorded it and when),
     * the checked entry is applied to it, and it is created.
     */
    <R extends Resource, E> String add(RecordEntryKind<R> kind, String patientId, String field, Check<E> check,
                                       Supplier<R> started, BiConsumer<R, E> applyTo, Alongside<R, E> alongside,
                                       HttpServletRequest request, Redisplay redisplay) {
        FormErrors errors = new FormErrors();
        E entry = check.entry(errors);
        if (entry == null) {
            return redisplay.page(errors);
        }
        try {
            writes.save(session -> {
                R resource = started.get();
                applyTo.accept(resource, entry);
                writes.allowed(request, FhirAction.CREATE, resource);
                alongside.write(session, resource, entry);
                return session.create(resource);
            });
        } catch (RecordWrites.Refused e) {
            errors.add(field, e.getMessage());
            return redisplay.page(errors);
        }
        return kind.summary(patientId);
    }

    /**
     * Changes an entry of the patient's, as it is now and only if it is still at the version the form was opened
     * at: otherwise the form shows the entry as it is stored now beside what the person typed.
     */
    <R extends Resource, E, F extends RecordEntryForm> String change(
            RecordEntryKind<R> kind, String patientId, String id, F form, String field, Check<E> check,
            BiConsumer<R, E> applyTo, Alongside<R, E> alongside, BiFunction<R, String, F> formOf,
            HttpServletRequest request, Model model, Redisplay redisplay) {
        FormErrors errors = new FormErrors();
        E entry = check.entry(errors);
        if (entry == null) {
            return redisplay.page(errors);
        }
        try {
            writes.save(session -> {
                R resource = kind.current(session, id, form.getVersion(), patientId);
                applyTo.accept(resource, entry);
                writes.allowed(request, FhirAction.UPDATE, resource);
                alongside.write(session, resource, entry);
                return kind.update(session, id, resource, form.getVersion());
            });
        } catch (RecordWrites.ChangedMeanwhile e) {
            kind.changedMeanwhile(record, patientId, id, form, formOf, errors, model);
            return redisplay.page(errors);
        } catch (RecordWrites.Refused e) {
            errors.add(field, e.getMessage());
            return redisplay.page(errors);
        }
        return kind.summary(patientId);
    }
}
