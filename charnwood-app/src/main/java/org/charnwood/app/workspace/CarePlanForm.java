package org.charnwood.app.workspace;

import org.charnwood.app.web.FormErrors;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The care plan form as typed: title, kind of plan (a SNOMED CT care plan concept), status, the period it runs
 * for, the problems it addresses (the patient's Conditions) and its goals and actions, one a line. The goals are
 * kept as {@code CarePlan.activity.detail.description}s: one resource to read, write and version, which is what
 * a ward or community team edits as one plan; an activity keeps its status when its line is unchanged.
 */
final class CarePlanForm extends RecordEntryForm {

    static final List<String[]> STATUSES = List.of(new String[]{"draft", "Draft"},
            new String[]{"active", "Active"}, new String[]{"on-hold", "On hold"},
            new String[]{"completed", "Completed"}, new String[]{"revoked", "Stopped"},
            new String[]{"entered-in-error", "Entered in error"});
    private static final int MOST_LINES = 30;

    private String title;
    private String categoryTerm;
    private String categoryCode;
    private String categoryChoice;
    private String status;
    private String startDay;
    private String startMonth;
    private String startYear;
    private String endDay;
    private String endMonth;
    private String endYear;
    private List<String> addresses = new ArrayList<>();
    private String activities;

    public String getTitle() { return title; }
    public void setTitle(String v) { title = v; }
    public String getCategoryTerm() { return categoryTerm; }
    public void setCategoryTerm(String v) { categoryTerm = v; }
    public String getCategoryCode() { return categoryCode; }
    public void setCategoryCode(String v) { categoryCode = v; }
    public String getCategoryChoice() { return categoryChoice; }
    public void setCategoryChoice(String v) { categoryChoice = v; }
    public String getStatus() { return status; }
    public void setStatus(String v) { status = v; }
    public String getStartDay() { return startDay; }
    public void setStartDay(String v) { startDay = v; }
    public String getStartMonth() { return startMonth; }
    public void setStartMonth(String v) { startMonth = v; }
    public String getStartYear() { return startYear; }
    public void setStartYear(String v) { startYear = v; }
    public String getEndDay() { return endDay; }
    public void setEndDay(String v) { endDay = v; }
    public String getEndMonth() { return endMonth; }
    public void setEndMonth(String v) { endMonth = v; }
    public String getEndYear() { return endYear; }
    public void setEndYear(String v) { endYear = v; }
    public List<String> getAddresses() { return addresses; }
    public void setAddresses(List<String> v) { addresses = v == null ? new ArrayList<>() : v; }
    public String getActivities() { return activities; }
    public void setActivities(String v) { activities = v; }

    /** A valid entry; {@code addresses} are Condition ids of the patient's. */
    record Entry(String title, ConceptChoice category, String status, LocalDate start, LocalDate end,
                 List<String> addresses, List<String> activities) {
    }

    static CarePlanForm blank() {
        CarePlanForm form = new CarePlanForm();
        form.status = "active";
        return form;
    }

    static CarePlanForm of(CarePlan plan, String version) {
        CarePlanForm form = new CarePlanForm();
        form.setVersion(version);
        form.title = plan.getTitle();
        Coding code = plan.getCategory().stream().map(RecordEntryForm::snomed).filter(c -> c != null)
                .findFirst().orElse(null);
        form.categoryCode = code == null ? null : code.getCode();
        form.categoryTerm = code != null && code.hasDisplay() ? code.getDisplay()
                : plan.hasCategory() ? Text.concept(plan.getCategoryFirstRep()) : null;
        form.status = plan.hasStatus() ? plan.getStatus().toCode() : null;
        if (plan.getPeriod().hasStart()) {
            String[] parts = parts(plan.getPeriod().getStart());
            form.startDay = parts[0];
            form.startMonth = parts[1];
            form.startYear = parts[2];
        }
        if (plan.getPeriod().hasEnd()) {
            String[] parts = parts(plan.getPeriod().getEnd());
            form.endDay = parts[0];
            form.endMonth = parts[1];
            form.endYear = parts[2];
        }
        plan.getAddresses().forEach(r -> {
            if (r.getReference() != null && r.getReference().startsWith("Condition/")) {
                form.addresses.add(r.getReference().substring("Condition/".length()));
            }
        });
        List<String> lines = new ArrayList<>();
        plan.getActivity().forEach(a -> {
            if (a.getDetail().hasDescription()) {
                lines.add(a.getDetail().getDescription());
            }
        });
        form.activities = String.join("\n", lines);
        return form;
    }

    @Override
    List<String[]> storedNow() {
        return lines("Title", title, "Category", categoryTerm, "Status", label(status, STATUSES),
                "Starts", shownDate(startDay, startMonth, startYear), "Ends", shownDate(endDay, endMonth, endYear),
                "Goals and actions", activities);
    }

    Entry validate(ConstrainedConcepts concepts, LocalDate today, Set<String> patientsConditions, FormErrors errors) {
        String name = trimmed(title);
        if (name.isEmpty()) {
            errors.add("title", "Enter a title for the care plan");
        } else if (name.length() > 200) {
            errors.add("title", "The title must be 200 characters or fewer");
        }
        ConceptChoice category = concepts.entry(CodedField.CARE_PLAN_CATEGORY, categoryTerm, categoryCode,
                categoryChoice, true, this, errors);
        if (!known(status, STATUSES)) {
            errors.add("status", "Select the status of the care plan");
        }
        LocalDate start = FormDate.parse(startDay, startMonth, startYear, "startDay", "The start date", today, true,
                errors);
        if (start == null && !errors.has("startDay")) {
            errors.add("startDay", "Enter the date the care plan starts");
        }
        LocalDate end = FormDate.parse(endDay, endMonth, endYear, "endDay", "The end date", today, true, errors);
        if (start != null && end != null && end.isBefore(start)) {
            errors.add("endDay", "The end date must be on or after the start date");
        }
        List<String> chosen = addresses.stream().filter(a -> a != null && !a.isBlank()).distinct().toList();
        if (!patientsConditions.containsAll(chosen)) {
            errors.add("addresses", "Choose problems from this patient's record");
        }
        List<String> lines = activities == null ? List.of() : activities.lines().map(String::trim)
                .filter(l -> !l.isEmpty()).toList();
        if (lines.size() > MOST_LINES) {
            errors.add("activities", "Enter at most " + MOST_LINES + " goals and actions");
        } else if (lines.stream().anyMatch(l -> l.length() > 500)) {
            errors.add("activities", "Each goal or action must be 500 characters or fewer");
        }
        return errors.isEmpty() ? new Entry(name, category, status, start, end, chosen, lines) : null;
    }

    static void applyTo(CarePlan plan, Entry entry) {
        plan.setTitle(entry.title());
        plan.setIntent(CarePlan.CarePlanIntent.PLAN);
        plan.setStatus(CarePlan.CarePlanStatus.fromCode(entry.status()));
        plan.getCategory().removeIf(c -> snomed(c) != null);
        plan.getCategory().add(0, new CodeableConcept(new Coding(SNOMED, entry.category().code(),
                entry.category().display())).setText(entry.category().display()));
        plan.setPeriod(new Period().setStartElement(new DateTimeType(entry.start().toString()))
                .setEndElement(entry.end() == null ? null : new DateTimeType(entry.end().toString())));
        plan.getAddresses().removeIf(r -> r.getReference() != null && r.getReference().startsWith("Condition/"));
        entry.addresses().forEach(id -> plan.addAddresses(new Reference("Condition/" + id)));
        Map<String, CarePlan.CarePlanActivityComponent> kept = new HashMap<>();
        plan.getActivity().forEach(a -> {
            if (a.getDetail().hasDescription()) {
                kept.putIfAbsent(a.getDetail().getDescription(), a);
            }
        });
        List<CarePlan.CarePlanActivityComponent> activities = new ArrayList<>();
        plan.getActivity().stream().filter(a -> !a.getDetail().hasDescription()).forEach(activities::add);
        for (String line : entry.activities()) {
            CarePlan.CarePlanActivityComponent activity = kept.remove(line);
            if (activity == null) {
                activity = new CarePlan.CarePlanActivityComponent();
                activity.getDetail().setDescription(line)
                        .setStatus(CarePlan.CarePlanActivityStatus.NOTSTARTED);
            }
            activities.add(activity);
        }
        plan.setActivity(activities);
    }
}
