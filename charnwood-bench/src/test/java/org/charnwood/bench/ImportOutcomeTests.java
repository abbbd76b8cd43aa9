package org.charnwood.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImportOutcomeTests {

    @Test
    void readsTheImportCountAndWarningsFromTheOperationOutcome() {
        String outcome = """
                {"resourceType":"OperationOutcome","issue":[
                 {"severity":"information","code":"informational",
                  "diagnostics":"Imported 2350 resources: 1831 created, 519 updated, in 3 transactions"},
                 {"severity":"warning","code":"not-found","diagnostics":"Reference resolves to nothing: X"}]}""";

        ImportOutcome read = ImportOutcome.read(outcome, 2_000_000_000L);

        assertThat(read.imported()).isEqualTo(2350);
        assertThat(read.warnings()).isEqualTo(1);
        assertThat(read.resourcesPerSecond()).isEqualTo(1175.0);
    }
}
