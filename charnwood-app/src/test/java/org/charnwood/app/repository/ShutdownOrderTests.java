package org.charnwood.app.repository;

import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring stops lifecycle beans from the highest phase down, waiting for each phase in turn: the outbox relay must
 * stop after the web server has drained its requests and stopped, and the listener for other nodes' changes after it.
 */
class ShutdownOrderTests {

    @Test
    void theRelayStopsAfterTheWebServerHasDrainedAndStopped() {
        assertThat(OutboxRelay.PHASE)
                .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
                .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    }

    @Test
    void changesFromOtherNodesAreHeardUntilAfterTheRelayHasStopped() {
        assertThat(ChangesFromOtherNodes.PHASE).isLessThan(OutboxRelay.PHASE);
    }
}
