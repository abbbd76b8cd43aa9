package org.charnwood.app.database;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DurabilityCheckTests {

    @Test
    void postgresDefaultsAreDurable() {
        assertThat(DurabilityCheck.unsafeSettings("on", "on")).isEmpty();
    }

    @Test
    void everySynchronousCommitLevelButOffWaitsForTheLocalFlush() {
        for (String level : new String[] {"local", "remote_write", "remote_apply", "on"}) {
            assertThat(DurabilityCheck.unsafeSettings("on", level)).as(level).isEmpty();
        }
    }

    @Test
    void namesEachSettingThatLetsACommitBeAcknowledgedBeforeItIsOnDisk() {
        assertThat(DurabilityCheck.unsafeSettings("off", "on")).containsExactly("fsync=off");
        assertThat(DurabilityCheck.unsafeSettings("on", "off")).containsExactly("synchronous_commit=off");
        assertThat(DurabilityCheck.unsafeSettings("off", "off"))
                .containsExactly("fsync=off", "synchronous_commit=off");
    }
}
