package org.charnwood.app.workspace;

import org.charnwood.app.repository.ResourceChangeNoticed;
import org.charnwood.app.repository.ResourceChangeNoticesMissed;
import org.charnwood.fhir.FhirException;
import org.charnwood.fhir.FhirRepository;
import org.charnwood.fhir.ResourceChanged;
import org.charnwood.fhir.StoredResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells open ward boards and team caseloads, by server-sent events, that something on them changed: an
 * Observation, Task, Encounter or EpisodeOfCare of one of their patients (committed changes, from the outbox
 * relay of whichever node delivered them: the browsers connected to this node hear of changes relayed at every
 * node). The event carries no patient data, only "board changed"; the page then fetches itself again under the
 * viewer's own access. Work is moved off the relay thread at once, so a slow browser never holds up the outbox.
 * When this node may have missed changes relayed elsewhere, every open board is told it changed and works out its
 * patients again.
 *
 * <p>Each stream ends after {@link #TIMEOUT} (the browser's EventSource reconnects by itself); a comment every
 * {@link #HEARTBEAT} finds streams whose browser has gone, and all streams are closed before the web server stops,
 * so shutdown does not wait for them.
 */
@Component
class BoardEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BoardEvents.class);
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final Duration HEARTBEAT = Duration.ofSeconds(25);
    private static final Set<String> TYPES = Set.of("Observation", "Task", "Encounter", "EpisodeOfCare");

    /** A ward board or team caseload someone has open, with its streams and (once worked out) its patients. */
    private static final class Board {
        final boolean ward;
        final String id;
        final Set<SseEmitter> streams = new CopyOnWriteArraySet<>();
        volatile Set<String> patients;

        Board(boolean ward, String id) {
            this.ward = ward;
            this.id = id;
        }
    }

    private final Map<String, Board> boards = new ConcurrentHashMap<>();
    private final Boards source;
    private final FhirRepository repository;
    private volatile ScheduledExecutorService worker;

    BoardEvents(Boards source, FhirRepository repository) {
        this.source = source;
        this.repository = repository;
    }

    SseEmitter ward(String wardId) {
        return subscribe(true, wardId);
    }

    SseEmitter team(String careTeamId) {
        return subscribe(false, careTeamId);
    }

    private SseEmitter subscribe(boolean ward, String id) {
        String key = (ward ? "ward/" : "team/") + id;
        SseEmitter stream = new SseEmitter(TIMEOUT.toMillis());
        boards.compute(key, (k, board) -> {
            Board b = board == null ? new Board(ward, id) : board;
            b.streams.add(stream);
            return b;
        });
        Runnable forget = () -> boards.computeIfPresent(key, (k, board) -> {
            board.streams.remove(stream);
            return board.streams.isEmpty() ? null : board;
        });
        stream.onCompletion(forget);
        stream.onError(e -> forget.run());
        stream.onTimeout(() -> {
            forget.run();
            stream.complete();
        });
        // The first event says the stream is open, and how long to wait before reconnecting after it ends.
        try {
            stream.send(SseEmitter.event().name("ready").data("open", MediaType.TEXT_PLAIN).reconnectTime(3000));
        } catch (IOException e) {
            forget.run();
        }
        return stream;
    }

    /** How many streams are open (for tests and the shutdown log). */
    int open() {
        return boards.values().stream().mapToInt(b -> b.streams.size()).sum();
    }

    @EventListener
    void on(ResourceChangeNoticed noticed) {
        ResourceChanged change = noticed.change();
        ScheduledExecutorService running = worker;
        if (running == null || boards.isEmpty() || !TYPES.contains(change.resourceType())) {
            return;
        }
        running.execute(() -> {
            try {
                dispatch(change);
            } catch (RuntimeException e) {
                log.warn("Board events: a change could not be matched to boards: {}", e.getClass().getSimpleName());
            }
        });
    }

    /** Changes may have gone by unheard: every board's patients are worked out again and its browsers told. */
    @EventListener
    void on(ResourceChangeNoticesMissed missed) {
        ScheduledExecutorService running = worker;
        if (running == null || boards.isEmpty()) {
            return;
        }
        running.execute(() -> {
            for (Board board : boards.values()) {
                board.patients = null;
                for (SseEmitter stream : board.streams) {
                    send(board, stream, SseEmitter.event().name("board").data("changed", MediaType.TEXT_PLAIN));
                }
            }
        });
    }

    private void dispatch(ResourceChanged change) {
        String patient = patientOf(change);
        boolean moves = "Encounter".equals(change.resourceType()) || "EpisodeOfCare".equals(change.resourceType());
        for (Board board : boards.values()) {
            Set<String> before = patients(board);
            boolean touches = patient != null && before.contains(patient);
            if (moves) {
                // An admission, transfer or discharge (or a new episode) can put a patient on a board or take
                // one off it: the board's patients are worked out again, and it changes if they were on it either side.
                Set<String> after = board.ward ? source.wardPatients(board.id) : source.teamPatients(board.id);
                board.patients = after;
                touches |= patient == null || after.contains(patient) || !after.equals(before);
            }
            if (touches) {
                for (SseEmitter stream : board.streams) {
                    send(board, stream, SseEmitter.event().name("board").data("changed", MediaType.TEXT_PLAIN));
                }
            }
        }
    }

    private Set<String> patients(Board board) {
        Set<String> known = board.patients;
        if (known == null) {
            known = board.ward ? source.wardPatients(board.id) : source.teamPatients(board.id);
            board.patients = known;
        }
        return known;
    }

    /** The patient the changed resource is about; a deleted one is read at its last version before deletion. */
    private String patientOf(ResourceChanged change) {
        StoredResource stored;
        try {
            stored = repository.vread(change.resourceType(), change.resourceId(),
                    change.method() == org.charnwood.fhir.ChangeMethod.DELETE ? change.version() - 1 : change.version());
        } catch (FhirException e) {
            return null;
        }
        if (stored == null || stored.deleted()) {
            return null;
        }
        return switch (change.resourceType()) {
            case "Observation" -> stored.parse(Observation.class).getSubject().getReference();
            case "Task" -> stored.parse(Task.class).getFor().getReference();
            case "Encounter" -> stored.parse(Encounter.class).getSubject().getReference();
            case "EpisodeOfCare" -> stored.parse(EpisodeOfCare.class).getPatient().getReference();
            default -> null;
        };
    }

    private void send(Board board, SseEmitter stream, SseEmitter.SseEventBuilder event) {
        try {
            stream.send(event);
        } catch (IOException | IllegalStateException e) {
            // The browser has gone: this stream is finished.
            board.streams.remove(stream);
            stream.completeWithError(e);
        }
    }

    private void heartbeat() {
        for (Board board : boards.values()) {
            for (SseEmitter stream : board.streams) {
                send(board, stream, SseEmitter.event().comment("still here"));
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "board-events");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(),
                TimeUnit.SECONDS);
        worker = executor;
    }

    /** Closes every stream before the web server's graceful shutdown, which would otherwise wait for them. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = worker;
        worker = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        boards.values().forEach(board -> board.streams.forEach(stream -> {
            try {
                stream.complete();
            } catch (RuntimeException e) {
                // already finished
            }
        }));
        boards.clear();
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
