package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerCpuTests {

    @Test
    void threadsAreGroupedByWhatTheyDoFromTheirLinuxNames() {
        // Linux keeps 15 characters of a thread's name: "http-nio-8080-exec-12" is "http-nio-8080-e".
        assertThat(ServerCpu.group("http-nio-8080-e")).isEqualTo("requests");
        assertThat(ServerCpu.group("C2 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ServerCpu.group("C1 CompilerThre")).isEqualTo("JIT compiler");
        assertThat(ServerCpu.group("GC Thread#1")).isEqualTo("garbage collector and VM");
        assertThat(ServerCpu.group("G1 Conc#0")).isEqualTo("garbage collector and VM");
        assertThat(ServerCpu.group("audit-appender")).isEqualTo("audit appender");
        assertThat(ServerCpu.group("outbox-relay")).isEqualTo("outbox relay");
        assertThat(ServerCpu.group("scheduling-1")).isEqualTo("other");
    }

    @Test
    void timeByThreadIsPerUnitLargestFirstWithoutTheNegligible() {
        ServerCpu.Sample before = new ServerCpu.Sample(100, 50, Map.of("requests", 100L, "JIT compiler", 40L,
                "other", 7L));
        ServerCpu.Sample after = new ServerCpu.Sample(400, 90, Map.of("requests", 300L, "JIT compiler", 45L,
                "other", 7L, "audit appender", 30L));

        // 1,000 units: requests 200 ticks = 2 ms per unit, appender 0.3 ms, JIT 0.05 ms, other nothing.
        assertThat(ServerCpu.byThread(before, after, 1_000))
                .isEqualTo("requests 2.000 ms, audit appender 0.300 ms, JIT compiler 0.050 ms");
        assertThat(ServerCpu.byThread(null, after, 1_000)).isEqualTo("not measured");
    }

    @Test
    void theThreadsOfARunningJvmAreRead() {
        Map<String, Long> groups = ServerCpu.threadTicks(ProcessHandle.current().pid());

        assertThat(groups).isNotEmpty();
        assertThat(groups.values()).allSatisfy(ticks -> assertThat(ticks).isNotNegative());
    }
}
