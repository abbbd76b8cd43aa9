package org.charnwood.app.audit.balp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An audit row's facts must be storable as PostgreSQL jsonb, which refuses an escaped NUL. */
class EventFactsTests {

    @Test
    void anEscapedNulBecomesTheReplacementCharacterAndAnEscapedBackslashBeforeItStays() {
        assertThat(EventFacts.withoutNul("{\"query\":\"code=x\\u0000y\"}")).isEqualTo("{\"query\":\"code=x\\uFFFDy\"}");
        assertThat(EventFacts.withoutNul("{\"query\":\"a\\\\u0000\"}")).isEqualTo("{\"query\":\"a\\\\u0000\"}");
        assertThat(EventFacts.withoutNul("{\"query\":\"plain\"}")).isEqualTo("{\"query\":\"plain\"}");
    }
}
