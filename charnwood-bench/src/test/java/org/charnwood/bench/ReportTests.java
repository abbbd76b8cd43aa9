package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTests {

    @Test
    void rendersAMarkdownTableAndNotes() {
        Report report = Report.titled("Bulk NDJSON import")
                .figure("Resources/s", 1234.4, 0)
                .figure("Target", Report.verdict(false))
                .note("Seed 2")
                .build();

        assertThat(report.markdown()).isEqualTo("""
                ### Bulk NDJSON import

                | Figure | Value |
                |---|---|
                | Resources/s | 1,234 |
                | Target | **MISSED** |

                - Seed 2
                """);
    }
}
