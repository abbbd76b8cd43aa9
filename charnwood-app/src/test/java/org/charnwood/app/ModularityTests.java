package org.charnwood.app;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** States the architecture: capability modules use only each other's public API. */
class ModularityTests {

    private final ApplicationModules modules = ApplicationModules.of(CharnwoodApplication.class);

    @Test
    void capabilityModulesOnlyUseEachOthersPublicApi() {
        modules.verify();
    }

    @Test
    void writesTheModuleDiagramForTheArchitectureDocs() {
        new Documenter(modules).writeModulesAsPlantUml().writeIndividualModulesAsPlantUml();
    }
}
