package org.charnwood.app.workspace;

import jakarta.servlet.http.HttpServletRequest;
import org.charnwood.app.security.Activity;
import org.charnwood.app.security.RequesterSource;
import org.charnwood.app.web.StaffPages;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Location;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.Comparator;
import java.util.List;

/** The ward board, the team caseload, and the lists of wards and teams to choose from. */
@Controller
@StaffPages
class BoardPages {

    /** A ward or team to choose. */
    record Choice(String id, String name) {
    }

    private final ClinicalRecord record;
    private final Boards boards;
    private final BoardEvents events;
    private final RequesterSource requesters;

    BoardPages(ClinicalRecord record, Boards boards, BoardEvents events, RequesterSource requesters) {
        this.record = record;
        this.boards = boards;
        this.events = events;
        this.requesters = requesters;
    }

    /** Whether to offer Accept and Decline: only to roles that may answer escalations; the others would be refused. */
    private void escalationActions(Model model, HttpServletRequest request) {
        model.addAttribute("answersEscalations",
                requesters.current(request).permits(Activity.RESPOND_TO_ESCALATION));
    }

    @GetMapping("/staff/wards")
    String wards(Model model) {
        List<Choice> wards = record.search("Location", Location.class, "type",
                        "http://terminology.hl7.org/CodeSystem/v3-RoleCode|HU,http://terminology.hl7.org/CodeSystem/v3-RoleCode|PHU", "_count", "500").stream()
                .map(l -> new Choice(l.getIdElement().getIdPart(), l.getName()))
                .sorted(Comparator.comparing(Choice::name)).toList();
        // Not "title": the layout's fragment takes a parameter of that name, which would shadow it.
        model.addAttribute("heading", "Wards");
        model.addAttribute("choices", wards);
        model.addAttribute("path", "/staff/wards/");
        return "workspace/choose";
    }

    @GetMapping("/staff/teams")
    String teams(Model model) {
        // Teams are the CareTeams of no patient; a patient's own care team is part of their record, not a team.
        List<Choice> teams = record.search("CareTeam", CareTeam.class, "status", "active", "subject:missing", "true",
                        "_count", "500").stream()
                .map(t -> new Choice(t.getIdElement().getIdPart(), t.hasName() ? t.getName() : t.getIdElement().getIdPart()))
                .sorted(Comparator.comparing(Choice::name)).toList();
        model.addAttribute("heading", "Teams");
        model.addAttribute("choices", teams);
        model.addAttribute("path", "/staff/teams/");
        return "workspace/choose";
    }

    @GetMapping("/staff/wards/{wardId}")
    String ward(@PathVariable String wardId, Model model, HttpServletRequest request) {
        Location ward = record.read("Location", wardId, Location.class)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such ward"));
        model.addAttribute("heading", ward.getName());
        model.addAttribute("kind", "Ward board");
        model.addAttribute("placeHeader", "Bed");
        model.addAttribute("rows", boards.ward(wardId));
        model.addAttribute("requestUri", "/staff/wards/" + wardId);
        model.addAttribute("eventsUri", "/staff/wards/" + wardId + "/events");
        escalationActions(model, request);
        return "workspace/board";
    }

    /** Server-sent events for the ward board: "board" whenever something on it changed. */
    @GetMapping(path = "/staff/wards/{wardId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter wardEvents(@PathVariable String wardId) {
        record.read("Location", wardId, Location.class)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such ward"));
        return events.ward(wardId);
    }

    /** Server-sent events for the team caseload. */
    @GetMapping(path = "/staff/teams/{careTeamId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter teamEvents(@PathVariable String careTeamId) {
        record.read("CareTeam", careTeamId, CareTeam.class)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such team"));
        return events.team(careTeamId);
    }

    @GetMapping("/staff/teams/{careTeamId}")
    String team(@PathVariable String careTeamId, Model model, HttpServletRequest request) {
        CareTeam team = record.read("CareTeam", careTeamId, CareTeam.class)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No such team"));
        model.addAttribute("heading", team.hasName() ? team.getName() : careTeamId);
        model.addAttribute("kind", "Team caseload");
        model.addAttribute("placeHeader", "Service");
        model.addAttribute("rows", boards.team(careTeamId));
        model.addAttribute("requestUri", "/staff/teams/" + careTeamId);
        model.addAttribute("eventsUri", "/staff/teams/" + careTeamId + "/events");
        model.addAttribute("dayUri", "/staff/teams/" + careTeamId + "/day");
        escalationActions(model, request);
        return "workspace/board";
    }
}
