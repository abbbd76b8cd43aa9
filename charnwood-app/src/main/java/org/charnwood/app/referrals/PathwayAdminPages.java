package org.charnwood.app.referrals;

import ca.uhn.fhir.parser.DataFormatException;
import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.AccessRole;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.FormErrors;
import org.charnwood.app.web.StaffPages;
import org.charnwood.fhir.FhirContexts;
import org.charnwood.fhir.FhirException;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.Questionnaire;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pathway administration for system administrators: the pathways and their versions, one version in full, and
 * publishing a new version by editing the current one's PlanDefinition (rules, target times, criteria) and
 * Questionnaire (items) as JSON. A new version is validated exactly as over the FHIR API; a refused one is
 * shown again with every problem, and nothing is published.
 */
@Controller
@StaffPages
class PathwayAdminPages {

    private final Pathways pathways;
    private final RequesterSource requesters;

    PathwayAdminPages(Pathways pathways, RequesterSource requesters) {
        this.pathways = pathways;
        this.requesters = requesters;
    }

    @GetMapping("/staff/admin/pathways")
    String list(HttpServletRequest request, Model model) {
        requireAdministrator(request);
        model.addAttribute("pathways", pathways.current());
        return "referrals/admin-pathways";
    }

    @GetMapping("/staff/admin/pathways/{slug}")
    String view(@PathVariable String slug, @RequestParam(name = "version", required = false) String version,
                HttpServletRequest request, Model model) {
        requireAdministrator(request);
        Pathway current = pathways.current(slug).orElseThrow(PathwayAdminPages::notFound);
        Pathway shown = version == null ? current
                : pathways.version(current.url(), version).orElseThrow(PathwayAdminPages::notFound);
        model.addAttribute("pathway", shown);
        model.addAttribute("current", current);
        model.addAttribute("versions", pathways.versions(slug));
        model.addAttribute("definitionJson", json(shown.definition()));
        model.addAttribute("questionnaireJson", json(shown.questionnaire()));
        model.addAttribute("errors", new FormErrors());
        return "referrals/admin-pathway";
    }

    @PostMapping("/staff/admin/pathways/{slug}")
    String publish(@PathVariable String slug, @RequestParam("definition") String definitionJson,
                   @RequestParam("questionnaire") String questionnaireJson, HttpServletRequest request, Model model,
                   RedirectAttributes redirect) {
        requireAdministrator(request);
        Pathway current = pathways.current(slug).orElseThrow(PathwayAdminPages::notFound);
        FormErrors errors = new FormErrors();
        PlanDefinition definition = parse(definitionJson, PlanDefinition.class, "definition", errors);
        Questionnaire questionnaire = parse(questionnaireJson, Questionnaire.class, "questionnaire", errors);
        if (definition != null && !current.url().equals(definition.getUrl())) {
            errors.add("definition", "The url must stay " + current.url() + ": a new pathway is a new file, not a new version");
        }
        if (errors.isEmpty()) {
            try {
                Pathway published = pathways.publish(definition, questionnaire);
                redirect.addFlashAttribute("published", published.version());
                return "redirect:/staff/admin/pathways/" + slug;
            } catch (FhirException e) {
                // Every problem is shown: one message per box, the problems one after another.
                java.util.Map<String, java.util.List<String>> messages = new java.util.LinkedHashMap<>();
                e.outcome().getIssue().forEach(i -> {
                    String expression = i.getExpression().isEmpty() ? "" : i.getExpression().get(0).getValue();
                    messages.computeIfAbsent(expression.startsWith("Questionnaire") ? "questionnaire" : "definition",
                            k -> new java.util.ArrayList<>()).add((expression.isEmpty() ? "" : expression + ": ")
                            + i.getDiagnostics());
                });
                messages.forEach((field, list) -> errors.add(field, String.join("; ", list)));
            }
        }
        model.addAttribute("pathway", current);
        model.addAttribute("current", current);
        model.addAttribute("versions", pathways.versions(slug));
        model.addAttribute("definitionJson", definitionJson);
        model.addAttribute("questionnaireJson", questionnaireJson);
        model.addAttribute("errors", errors);
        return "referrals/admin-pathway";
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> T parse(String json, Class<T> type, String field,
                                                                      FormErrors errors) {
        try {
            return FhirContexts.r4().newJsonParser().parseResource(type, json);
        } catch (DataFormatException | ClassCastException e) {
            errors.add(field, "This is not a " + type.getSimpleName() + " in FHIR JSON: " + e.getMessage());
            return null;
        }
    }

    private static String json(org.hl7.fhir.r4.model.Resource resource) {
        org.hl7.fhir.r4.model.Resource copy = resource.copy();
        copy.setMeta(null);
        return FhirContexts.r4().newJsonParser().setPrettyPrint(true).encodeResourceToString(copy);
    }

    /** Pathways are configuration: for system administrators (RBAC R8015) only. */
    private void requireAdministrator(HttpServletRequest request) {
        if (!requesters.current(request).hasRole(AccessRole.SYSTEM_ADMINISTRATOR)) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Pathways are managed by system administrators");
        }
    }

    private static ResponseStatusException notFound() {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No such pathway");
    }
}
