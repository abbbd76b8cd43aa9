package org.charnwood.app.referrals;

import org.charnwood.fhir.ErrorCode;
import org.charnwood.fhir.FhirException;
import org.charnwood.terminology.ecl.Ecl;
import org.charnwood.terminology.ecl.EclException;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemEnableWhenComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a pathway from its PlanDefinition and Questionnaire, and says what is wrong with them: the one place
 * that knows how the pathway's rules are written in FHIR (docs/referrals.md). A pathway with invalid ECL or
 * inconsistent rules is refused on every way in (the FHIR API, the administration page, the shipped files).
 */
final class PathwayDefinitions {

    static final Set<String> PRIORITIES = Set.of("routine", "urgent", "asap");
    static final Set<String> CLOCKS = Set.of("referral-to-triage", "referral-to-first-contact", "urgent-response",
            "reablement");
    static final Set<QuestionnaireItemType> ITEM_TYPES = Set.of(QuestionnaireItemType.STRING,
            QuestionnaireItemType.TEXT, QuestionnaireItemType.BOOLEAN, QuestionnaireItemType.CHOICE,
            QuestionnaireItemType.DATE, QuestionnaireItemType.INTEGER, QuestionnaireItemType.DISPLAY);
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,5}");
    private static final Pattern POSTCODE_PREFIX = Pattern.compile("[A-Z]{1,2}([0-9][0-9A-Z]?( ?[0-9][A-Z]{0,2})?)?");
    private static final Pattern ODS_PREFIX = Pattern.compile("[A-Z0-9]{1,8}");
    private static final Map<String, java.time.temporal.ChronoUnit> UNITS = Map.of("min",
            java.time.temporal.ChronoUnit.MINUTES, "h", java.time.temporal.ChronoUnit.HOURS, "d",
            java.time.temporal.ChronoUnit.DAYS, "wk", java.time.temporal.ChronoUnit.WEEKS);

    private PathwayDefinitions() {
    }

    static boolean isPathway(PlanDefinition definition) {
        return definition.hasUrl() && definition.getUrl().startsWith(ReferralCodes.PATHWAY_URL_PREFIX);
    }

    static boolean isPathwayQuestionnaire(Questionnaire questionnaire) {
        return questionnaire.hasUrl() && questionnaire.getUrl().startsWith(ReferralCodes.QUESTIONNAIRE_URL_PREFIX);
    }

    static String slugOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The pathway, from a definition and questionnaire that {@link #problems} found nothing wrong with. */
    static Pathway read(PlanDefinition definition, Questionnaire questionnaire) {
        Reference service = (Reference) definition.getExtensionByUrl(ReferralCodes.PATHWAY_SERVICE).getValue();
        Extension self = definition.getExtensionByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED);
        List<String> priorities = definition.getExtensionsByUrl(ReferralCodes.REFERRAL_PRIORITY).stream()
                .map(e -> e.getValue().primitiveValue()).toList();
        List<PathwayRule> rules = definition.getExtensionsByUrl(ReferralCodes.REFERRAL_CRITERION).stream()
                .map(PathwayDefinitions::rule).toList();
        List<TargetTime> targets = new ArrayList<>();
        for (PlanDefinition.PlanDefinitionGoalComponent goal : definition.getGoal()) {
            var target = goal.getTargetFirstRep();
            targets.add(new TargetTime(target.getMeasure().getCodingFirstRep().getCode(),
                    duration(target.getDue())));
        }
        return new Pathway(slugOf(definition.getUrl()), definition.getVersion(), service.getReference(),
                service.hasDisplay() ? service.getDisplay() : definition.getTitle(),
                self != null && self.getValue() instanceof BooleanType b && b.booleanValue(), priorities, rules,
                List.copyOf(targets), definition, questionnaire);
    }

    private static PathwayRule rule(Extension criterion) {
        String kind = text(criterion, "kind");
        String test = text(criterion, "rule");
        PathwayRule.Test t = switch (test) {
            case "ecl" -> new PathwayRule.Ecl(text(criterion, "ecl"));
            case "age" -> new PathwayRule.AgeRange(integer(criterion, "minAge"), integer(criterion, "maxAge"));
            case "postcode" -> new PathwayRule.PostcodeArea(texts(criterion, "postcodePrefix"));
            case "practice" -> new PathwayRule.RegisteredPractice(texts(criterion, "practiceOdsPrefix"));
            default -> throw new IllegalArgumentException(test);
        };
        return new PathwayRule("exclude".equals(kind) ? PathwayRule.Kind.EXCLUDE : PathwayRule.Kind.ACCEPT, t,
                text(criterion, "description"), text(criterion, "redirect"));
    }

    /** The problems with a pathway definition; the questionnaire is checked on its own by {@link #problems(Questionnaire)}. */
    static List<OperationOutcomeIssueComponent> problems(PlanDefinition definition) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        String url = definition.getUrl();
        String slug = null;
        if (url == null || !url.startsWith(ReferralCodes.PATHWAY_URL_PREFIX)
                || !SLUG.matcher(slug = slugOf(url)).matches()) {
            issues.add(error("A pathway's url is " + ReferralCodes.PATHWAY_URL_PREFIX + "<slug>, the slug in lower "
                    + "case letters, digits and hyphens", "PlanDefinition.url"));
        }
        String version = definition.getVersion();
        if (version == null || !VERSION.matcher(version).matches()) {
            issues.add(error("A pathway's version is a whole number: 1, 2, ...", "PlanDefinition.version"));
        } else if (slug != null && definition.hasIdElement() && definition.getIdElement().getIdPart() != null
                && !definition.getIdElement().getIdPart().equals(slug + "-v" + version)) {
            issues.add(error("Version " + version + " of this pathway is stored as PlanDefinition/" + slug + "-v"
                    + version + " (publish it with PUT to that id)", "PlanDefinition.id"));
        }
        if (definition.getStatus() == null || definition.getStatus() == PublicationStatus.UNKNOWN) {
            issues.add(error("A pathway's status is draft, active or retired", "PlanDefinition.status"));
        }
        List<Extension> services = definition.getExtensionsByUrl(ReferralCodes.PATHWAY_SERVICE);
        if (services.size() != 1 || !(services.get(0).getValue() instanceof Reference ref)
                || ref.getReference() == null || !ref.getReference().matches("HealthcareService/[A-Za-z0-9\\-.]{1,64}")) {
            issues.add(error("A pathway names exactly one service: extension " + ReferralCodes.PATHWAY_SERVICE
                    + " with valueReference HealthcareService/<slug>", "PlanDefinition.extension"));
        }
        List<Extension> self = definition.getExtensionsByUrl(ReferralCodes.SELF_REFERRAL_ALLOWED);
        if (self.size() > 1 || (self.size() == 1 && !(self.get(0).getValue() instanceof BooleanType))) {
            issues.add(error("self-referral-allowed is given at most once, as a valueBoolean", "PlanDefinition.extension"));
        }
        List<String> priorities = new ArrayList<>();
        for (Extension p : definition.getExtensionsByUrl(ReferralCodes.REFERRAL_PRIORITY)) {
            String code = p.getValue() == null ? null : p.getValue().primitiveValue();
            if (code == null || !PRIORITIES.contains(code) || priorities.contains(code)) {
                issues.add(error("Each referral-priority is one of routine, urgent or asap, given once",
                        "PlanDefinition.extension"));
            } else {
                priorities.add(code);
            }
        }
        if (priorities.isEmpty()) {
            issues.add(error("A pathway takes at least one urgency level (extension " + ReferralCodes.REFERRAL_PRIORITY
                    + ": routine, urgent or asap)", "PlanDefinition.extension"));
        }
        List<Extension> criteria = definition.getExtensionsByUrl(ReferralCodes.REFERRAL_CRITERION);
        for (int i = 0; i < criteria.size(); i++) {
            criterionProblems(criteria.get(i), url, "PlanDefinition.extension('" + ReferralCodes.REFERRAL_CRITERION
                    + "')[" + i + "]", issues);
        }
        Set<String> clocks = new HashSet<>();
        for (int i = 0; i < definition.getGoal().size(); i++) {
            var goal = definition.getGoal().get(i);
            String at = "PlanDefinition.goal[" + i + "]";
            if (goal.getTarget().isEmpty() || !goal.getTargetFirstRep().getMeasure().hasCoding()) {
                issues.add(error("Each goal has target[0].measure from " + ReferralCodes.REFERRAL_CLOCK, at));
                continue;
            }
            var target = goal.getTargetFirstRep();
            var coding = target.getMeasure().getCodingFirstRep();
            if (!ReferralCodes.REFERRAL_CLOCK.equals(coding.getSystem()) || !CLOCKS.contains(coding.getCode())) {
                issues.add(error("A goal's clock is one of " + String.join(", ", new java.util.TreeSet<>(CLOCKS))
                        + " from " + ReferralCodes.REFERRAL_CLOCK, at + ".target[0].measure"));
            } else if (!clocks.add(coding.getCode())) {
                issues.add(error("The clock " + coding.getCode() + " has more than one target", at));
            }
            if (!target.hasDue() || duration(target.getDue()) == null) {
                issues.add(error("A goal's target is due in a positive whole number of min, h, d or wk (UCUM)",
                        at + ".target[0].due"));
            }
        }
        if (clocks.contains("urgent-response") && !priorities.contains("asap")) {
            issues.add(error("An urgent-response target needs the pathway to take asap referrals", "PlanDefinition.goal"));
        }
        if (clocks.isEmpty()) {
            issues.add(error("A pathway has at least one target time (goal)", "PlanDefinition.goal"));
        }
        String questionnaire = definition.getActionFirstRep().getDefinitionCanonicalType() == null ? null
                : definition.getActionFirstRep().getDefinitionCanonicalType().getValue();
        if (!definition.hasAction() || questionnaire == null
                || !questionnaire.startsWith(ReferralCodes.QUESTIONNAIRE_URL_PREFIX) || !questionnaire.contains("|")) {
            issues.add(error("A pathway's first action names its questionnaire: definitionCanonical "
                    + ReferralCodes.QUESTIONNAIRE_URL_PREFIX + "<slug>|<version>", "PlanDefinition.action[0]"));
        }
        return issues;
    }

    private static void criterionProblems(Extension criterion, String url, String at,
                                          List<OperationOutcomeIssueComponent> issues) {
        String kind = text(criterion, "kind");
        String test = text(criterion, "rule");
        if (!"accept".equals(kind) && !"exclude".equals(kind)) {
            issues.add(error("A criterion's kind is accept or exclude", at));
        }
        if (text(criterion, "description") == null) {
            issues.add(error("A criterion has a description people can read", at));
        }
        String redirect = text(criterion, "redirect");
        if (redirect != null && (!redirect.startsWith(ReferralCodes.PATHWAY_URL_PREFIX) || redirect.equals(url))) {
            issues.add(error("A criterion's redirect is the url of another pathway", at));
        }
        if (test == null) {
            issues.add(error("A criterion's rule is ecl, age, postcode or practice", at));
            return;
        }
        switch (test) {
            case "ecl" -> {
                String ecl = text(criterion, "ecl");
                if (ecl == null) {
                    issues.add(error("An ecl criterion has its expression constraint", at));
                } else {
                    try {
                        Ecl.parse(ecl);
                    } catch (EclException e) {
                        issues.add(error("Not valid SNOMED CT ECL: " + e.getMessage(), at));
                    }
                }
            }
            case "age" -> {
                Integer min = integer(criterion, "minAge");
                Integer max = integer(criterion, "maxAge");
                if (min == null && max == null) {
                    issues.add(error("An age criterion has a minAge, a maxAge or both", at));
                } else if ((min != null && (min < 0 || min > 130)) || (max != null && (max < 0 || max > 130))) {
                    issues.add(error("Ages are whole years from 0 to 130", at));
                } else if (min != null && max != null && min > max) {
                    issues.add(error("The age range is empty: minAge " + min + " is above maxAge " + max, at));
                }
            }
            case "postcode" -> {
                List<String> prefixes = texts(criterion, "postcodePrefix");
                if (prefixes.isEmpty() || prefixes.stream().anyMatch(p -> !POSTCODE_PREFIX.matcher(p).matches())) {
                    issues.add(error("A postcode criterion lists postcode prefixes in capitals (LE, LE15, PE9)", at));
                }
            }
            case "practice" -> {
                List<String> prefixes = texts(criterion, "practiceOdsPrefix");
                if (prefixes.isEmpty() || prefixes.stream().anyMatch(p -> !ODS_PREFIX.matcher(p).matches())) {
                    issues.add(error("A practice criterion lists ODS code prefixes in capitals (C82, C82001)", at));
                }
            }
            default -> issues.add(error("A criterion's rule is ecl, age, postcode or practice, not " + test, at));
        }
    }

    /** The problems with a pathway's questionnaire: only the item types the forms can show, sound enableWhen. */
    static List<OperationOutcomeIssueComponent> problems(Questionnaire questionnaire) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>();
        String url = questionnaire.getUrl();
        if (url == null || !url.startsWith(ReferralCodes.QUESTIONNAIRE_URL_PREFIX)
                || !SLUG.matcher(slugOf(url)).matches()) {
            issues.add(error("A pathway questionnaire's url is " + ReferralCodes.QUESTIONNAIRE_URL_PREFIX + "<slug>",
                    "Questionnaire.url"));
        }
        if (questionnaire.getVersion() == null || !VERSION.matcher(questionnaire.getVersion()).matches()) {
            issues.add(error("A pathway questionnaire's version is a whole number", "Questionnaire.version"));
        }
        if (questionnaire.getItem().isEmpty()) {
            issues.add(error("A pathway questionnaire asks at least one question", "Questionnaire.item"));
        }
        Map<String, QuestionnaireItemType> seen = new HashMap<>();
        for (int i = 0; i < questionnaire.getItem().size(); i++) {
            QuestionnaireItemComponent item = questionnaire.getItem().get(i);
            String at = "Questionnaire.item[" + i + "]";
            if (item.getLinkId() == null || !item.getLinkId().matches("[A-Za-z0-9][A-Za-z0-9\\-_.]{0,63}")) {
                issues.add(error("Each item has a linkId of letters, digits, hyphens, underscores or dots", at + ".linkId"));
                continue;
            }
            if (seen.containsKey(item.getLinkId())) {
                issues.add(error("The linkId " + item.getLinkId() + " is used twice", at + ".linkId"));
            }
            if (item.getType() == null || !ITEM_TYPES.contains(item.getType())) {
                issues.add(error("Item " + item.getLinkId() + ": the forms show string, text, boolean, choice, date, "
                        + "integer and display items (no groups or other types)", at + ".type"));
            } else if (item.getType() == QuestionnaireItemType.CHOICE && (item.getAnswerOption().isEmpty()
                    || item.getAnswerOption().stream().anyMatch(o -> !o.hasValueCoding() || !o.getValueCoding().hasCode()))) {
                issues.add(error("Choice item " + item.getLinkId() + " lists its answers as answerOption.valueCoding "
                        + "with codes", at + ".answerOption"));
            }
            if (item.getText() == null || item.getText().isBlank()) {
                issues.add(error("Item " + item.getLinkId() + " has the question text people read", at + ".text"));
            }
            for (QuestionnaireItemEnableWhenComponent when : item.getEnableWhen()) {
                QuestionnaireItemType asked = seen.get(when.getQuestion());
                if (asked == null) {
                    issues.add(error("Item " + item.getLinkId() + " is enabled by " + when.getQuestion()
                            + ", which is not an earlier question", at + ".enableWhen"));
                } else if (when.getOperator() != Questionnaire.QuestionnaireItemOperator.EQUAL
                        && when.getOperator() != Questionnaire.QuestionnaireItemOperator.NOT_EQUAL) {
                    issues.add(error("Item " + item.getLinkId() + ": enableWhen uses = or !=", at + ".enableWhen"));
                } else if (!answerFits(asked, when.getAnswer())) {
                    issues.add(error("Item " + item.getLinkId() + ": the enableWhen answer does not fit the "
                            + asked.toCode() + " question " + when.getQuestion(), at + ".enableWhen"));
                }
            }
            seen.putIfAbsent(item.getLinkId(), item.getType());
        }
        return issues;
    }

    private static boolean answerFits(QuestionnaireItemType type, Type answer) {
        return switch (type) {
            case BOOLEAN -> answer instanceof BooleanType;
            case CHOICE -> answer instanceof org.hl7.fhir.r4.model.Coding;
            case INTEGER -> answer instanceof IntegerType;
            case DATE -> answer instanceof org.hl7.fhir.r4.model.DateType;
            default -> answer instanceof StringType;
        };
    }

    /** Throws a 422 listing every problem, or does nothing. */
    static void requireValid(PlanDefinition definition, Questionnaire questionnaire) {
        List<OperationOutcomeIssueComponent> issues = new ArrayList<>(problems(definition));
        if (questionnaire == null) {
            issues.add(error("The pathway's questionnaire is not known", "PlanDefinition.action[0].definitionCanonical"));
        } else {
            issues.addAll(problems(questionnaire));
            String named = definition.getActionFirstRep().getDefinitionCanonicalType() == null ? null
                    : definition.getActionFirstRep().getDefinitionCanonicalType().getValue();
            if (named != null && !named.equals(questionnaire.getUrl() + "|" + questionnaire.getVersion())) {
                issues.add(error("The pathway names questionnaire " + named + " but was given "
                        + questionnaire.getUrl() + "|" + questionnaire.getVersion(),
                        "PlanDefinition.action[0].definitionCanonical"));
            }
        }
        if (!issues.isEmpty()) {
            throw FhirException.unprocessable(issues);
        }
    }

    static java.time.Duration duration(Duration d) {
        if (d == null || !d.hasValue() || d.getValue().signum() <= 0 || d.getValue().scale() > 0
                && d.getValue().stripTrailingZeros().scale() > 0) {
            return null;
        }
        var unit = UNITS.get(d.getCode() == null ? "" : d.getCode());
        if (unit == null) {
            return null;
        }
        return unit == java.time.temporal.ChronoUnit.WEEKS ? java.time.Duration.ofDays(7L * d.getValue().longValue())
                : java.time.Duration.of(d.getValue().longValue(), unit);
    }

    static OperationOutcomeIssueComponent error(String message, String expression) {
        return FhirException.issue(IssueSeverity.ERROR, ErrorCode.PATHWAY_INVALID, IssueType.BUSINESSRULE, message,
                expression);
    }

    private static String text(Extension criterion, String name) {
        Extension e = criterion.getExtensionByUrl(name);
        return e == null || e.getValue() == null ? null : e.getValue().primitiveValue();
    }

    private static List<String> texts(Extension criterion, String name) {
        return criterion.getExtensionsByUrl(name).stream().filter(e -> e.getValue() != null)
                .map(e -> e.getValue().primitiveValue().toUpperCase(Locale.ROOT)).toList();
    }

    private static Integer integer(Extension criterion, String name) {
        Extension e = criterion.getExtensionByUrl(name);
        return e != null && e.getValue() instanceof IntegerType i ? i.getValue() : null;
    }
}
