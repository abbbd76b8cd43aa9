package org.charnwood.app.repository;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;

/**
 * {@code /api/operations/outbox}: the trust's IT team lists the outbox events set aside after their listeners kept
 * failing, and replays them once the fault is fixed, so that the NEWS2 scores, escalations, board updates and
 * relationship caches they would have made are made after all. For system administrators only (a signed-in session,
 * or a token granted {@code charnwood/operations}), as the other operations endpoints; every call is audited.
 */
@RestController
@RequestMapping("/api/operations/outbox")
class OutboxOperationsEndpoint {

    private final SetAsideEvents setAside;

    OutboxOperationsEndpoint(SetAsideEvents setAside) {
        this.setAside = setAside;
    }

    @GetMapping("/set-aside")
    List<SetAsideEvents.SetAsideEvent> list() {
        return setAside.list();
    }

    @PostMapping("/set-aside/replay")
    Map<String, Integer> replayAll() {
        return Map.of("replayed", setAside.replayAll());
    }

    @PostMapping("/set-aside/{seq}/replay")
    ResponseEntity<Map<String, Object>> replay(@PathVariable long seq) {
        return setAside.replay(seq)
                ? ResponseEntity.ok(Map.of("replayed", 1))
                : ResponseEntity.status(404).body(Map.of("error", "no outbox event " + seq + " is set aside"));
    }
}
